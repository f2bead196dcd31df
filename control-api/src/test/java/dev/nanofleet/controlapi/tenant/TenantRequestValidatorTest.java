package dev.nanofleet.controlapi.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.problem.FieldError;
import org.junit.jupiter.api.Test;

class TenantRequestValidatorTest {

    private static final TenantRequests.FirstUser USER = new TenantRequests.FirstUser("peter", "peter@initech.test");

    @Test
    void a_complete_request_is_valid() {
        assertThat(TenantRequestValidator.validate(new TenantRequests.Create("initech", "Initech", "trusted",
                new QuotaRequest.Both(new QuotaRequest(1000, 2048, 4), null), USER))).isEmpty();
        assertThat(TenantRequestValidator.validate(new TenantRequests.Create("abc", "A", null, null,
                new TenantRequests.FirstUser("ab", null)))).isEmpty();
    }

    @Test
    void every_bad_field_is_named_by_its_path() {
        assertThat(TenantRequestValidator.validate(new TenantRequests.Create("-x", " ", "Trusty",
                new QuotaRequest.Both(new QuotaRequest(-1, null, 100_001), new QuotaRequest(null, 100_000_001, null)),
                new TenantRequests.FirstUser("A", "not-mail")))).extracting(FieldError::field)
                .containsExactly("id", "name", "trust", "quotas.shared.cpuMillis", "quotas.shared.instances",
                        "quotas.hardware.memoryMiB", "firstUser.username", "firstUser.email");
    }

    @Test
    void ids_are_dns_labels_of_three_to_thirty_two_characters_and_platform_names_are_reserved() {
        for (String bad : new String[]{"ab", "1abc", "abc-", "ABC", "a_bc", "a".repeat(33), "operator", "nanofleet"}) {
            assertThat(TenantRequestValidator.validate(new TenantRequests.Create(bad, "N", null, null, USER)))
                    .as(bad).extracting(FieldError::field).containsExactly("id");
        }
    }

    @Test
    void an_update_names_unknown_trust_and_state_and_allows_an_empty_change() {
        assertThat(TenantRequestValidator.validate(new TenantRequests.Update(null, "maybe", "paused", null)))
                .extracting(FieldError::field).containsExactly("trust", "state");
        assertThat(TenantRequestValidator.validate(new TenantRequests.Update(null, null, null, null))).isEmpty();
        assertThat(TenantRequestValidator.validate(new TenantRequests.Update(null, " Untrusted ", "SUSPENDED", null)))
                .isEmpty();
    }
}

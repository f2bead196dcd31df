package dev.nanofleet.controlapi.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.security.CallerIdentity;
import dev.nanofleet.controlapi.security.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TokenRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final CallerIdentity PERSON = new CallerIdentity("user:bob", "globex", false, Scope.ALL, null,
            null);
    private static final CallerIdentity ADMIN_TOKEN = new CallerIdentity("token:x", "globex", false,
            Set.of(Scope.READ, Scope.ADMIN), NOW.plus(Duration.ofDays(7)), UUID.randomUUID());

    @Test
    void a_person_may_give_a_token_any_scope_for_up_to_a_year_and_ninety_days_by_default() {
        assertThat(TokenRules.check(create(365, Scope.values()), PERSON, NOW)).isEmpty();
        assertThat(TokenRules.expiry(create(null, Scope.READ), PERSON, NOW)).isEqualTo(NOW.plus(Duration.ofDays(90)));
    }

    @Test
    void a_token_cannot_give_a_scope_it_lacks_nor_outlive_itself() {
        assertThat(TokenRules.check(create(null, Scope.READ, Scope.DEPLOY), ADMIN_TOKEN, NOW))
                .extracting(FieldError::field).containsExactly("scopes[1]");
        assertThat(TokenRules.check(create(8, Scope.READ), ADMIN_TOKEN, NOW)).extracting(FieldError::field)
                .containsExactly("expiresInDays");
        assertThat(TokenRules.check(create(7, Scope.READ), ADMIN_TOKEN, NOW)).isEmpty();
        // without an asked lifetime, the child ends with its parent
        assertThat(TokenRules.expiry(create(null, Scope.READ), ADMIN_TOKEN, NOW)).isEqualTo(ADMIN_TOKEN.expiresAt());
    }

    @Test
    void names_scopes_and_lifetimes_out_of_bounds_are_named() {
        assertThat(TokenRules.check(new TokenRequests.Create("", List.of(), 0), PERSON, NOW))
                .extracting(FieldError::field).containsExactly("name", "scopes", "expiresInDays");
        assertThat(TokenRules.check(new TokenRequests.Create("x".repeat(65), null, 366), PERSON, NOW))
                .extracting(FieldError::field).containsExactly("name", "scopes", "expiresInDays");
        assertThat(TokenRules.check(new TokenRequests.Create("bell\u0007", Arrays.asList(Scope.READ, null), 1),
                PERSON, NOW)).extracting(FieldError::field).containsExactly("name", "scopes[1]");
    }

    private static TokenRequests.Create create(Integer days, Scope... scopes) {
        return new TokenRequests.Create("ci", List.of(scopes), days);
    }
}

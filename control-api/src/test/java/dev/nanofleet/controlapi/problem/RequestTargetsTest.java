package dev.nanofleet.controlapi.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTargetsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/v1/deployments", "/v1/deployments/6f1c2b9e-0000-4000-8000-000000000001",
            "/v1/instances/x/logs?tail=5&follow=true", "/v1/deployments/%20", "/v1/deployments/%C3%A9",
            "/q/openapi?format=json", "/v1/x?a=%0a", "/a/b;c=d/~e"})
    void a_valid_target_passes(String target) {
        assertThat(RequestTargets.problem(target)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/deployments/a b", "/v1/deployments/{", "/v1/deployments/}", "/v1/deployments/|",
            "/v1/deployments/%", "/v1/deployments/%zz", "/v1/deployments/a%2", "/v1/deployments/%00",
            "/v1/deployments/%0d%0a", "/v1/deployments/%7f", "/v1/\u0000", "/v1/\u00e9", "*", "", "/a\\b", "/a^b",
            "/a`b", "/a[b]"})
    void a_target_no_uri_path_allows_is_refused(String target) {
        assertThat(RequestTargets.problem(target)).isPresent();
    }
}

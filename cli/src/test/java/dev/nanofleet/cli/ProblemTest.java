package dev.nanofleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ProblemTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void a_401_means_not_logged_in_and_any_other_error_an_api_error() {
        assertThat(ExitCodes.forStatus(401)).isEqualTo(ExitCodes.NOT_LOGGED_IN);
        assertThat(ExitCodes.forStatus(400)).isEqualTo(ExitCodes.API_ERROR);
        assertThat(ExitCodes.forStatus(403)).isEqualTo(ExitCodes.API_ERROR);
        assertThat(ExitCodes.forStatus(404)).isEqualTo(ExitCodes.API_ERROR);
        assertThat(ExitCodes.forStatus(422)).isEqualTo(ExitCodes.API_ERROR);
        assertThat(ExitCodes.forStatus(503)).isEqualTo(ExitCodes.API_ERROR);
    }

    @Test
    void a_revoked_token_problem_exits_3_and_shows_the_servers_detail() {
        ApiException e = new ApiException(Problem.parse(401, """
                {"type":"https://nanofleet.dev/problems/unauthorized","title":"Unauthorized","status":401,
                 "detail":"the API token was revoked"}""", json));

        assertThat(e.exitCode()).isEqualTo(3);
        assertThat(e.render()).startsWith("error: Unauthorized: the API token was revoked\n");
    }

    @Test
    void field_errors_follow_the_title_and_detail_one_per_line() {
        ApiException e = new ApiException(Problem.parse(400, """
                {"title":"Bad Request","status":400,"detail":"the request is invalid",
                 "errors":[{"field":"resources.memoryMiB","message":"must be at least 32"},
                           {"field":"image","message":"must not be blank"}]}""", json));

        assertThat(e.exitCode()).isEqualTo(1);
        assertThat(e.render()).isEqualTo("""
                error: Bad Request: the request is invalid
                  resources.memoryMiB: must be at least 32
                  image: must not be blank""");
    }

    @Test
    void a_quota_refusal_shows_its_extension_members() {
        Problem p = Problem.parse(422, """
                {"type":"https://nanofleet.dev/problems/quota-exceeded","title":"Quota exceeded","status":422,
                 "detail":"hardware.memoryMiB would exceed the quota","quota":"hardware.memoryMiB","limit":4096,
                 "used":4000,"requested":256}""", json);

        assertThat(p.describe()).isEqualTo("""
                Quota exceeded: hardware.memoryMiB would exceed the quota
                  limit: 4096
                  quota: hardware.memoryMiB
                  requested: 256
                  used: 4000""");
    }

    @Test
    void a_body_that_is_not_problem_json_still_gives_the_status_and_its_first_line() {
        Problem p = Problem.parse(502, "<html>Bad Gateway</html>\nmore", json);

        assertThat(p.describe()).isEqualTo("Bad Gateway: <html>Bad Gateway</html>");
        assertThat(Problem.parse(404, "", json).describe()).isEqualTo("Not Found");
    }
}

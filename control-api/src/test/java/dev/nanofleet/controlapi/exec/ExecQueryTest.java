package dev.nanofleet.controlapi.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.controlapi.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecQueryTest {

    @Test
    void a_command_with_tty_and_stdin_is_read_as_given() {
        ExecQuery q = ExecQuery.parse(List.of("sh", "-c", "echo hi"), "true", "FALSE");
        assertThat(q.command()).containsExactly("sh", "-c", "echo hi");
        assertThat(q.tty()).isTrue();
        assertThat(q.stdin()).isFalse();
        assertThat(ExecQuery.parse(List.of("id"), null, null)).isEqualTo(new ExecQuery(List.of("id"), false, false));
    }

    @Test
    void every_invalid_parameter_is_named() {
        assertThatThrownBy(() -> ExecQuery.parse(List.of(), "maybe", "1")).isInstanceOfSatisfying(
                ProblemException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("command", "tty", "stdin"));
        assertThatThrownBy(() -> ExecQuery.parse(Collections.nCopies(257, "x"), null, null))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> ExecQuery.parse(List.of("a\0b"), null, null)).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> ExecQuery.parse(List.of("x".repeat(20_000)), null, null))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void a_browser_token_is_read_from_the_subprotocols_and_nothing_else_is() {
        String token = "eyJhbGciOi.payload.sig";
        String offered = ExecProtocol.NAME + ", " + ExecProtocol.BEARER_PREFIX
                + Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
        assertThat(ExecProtocol.bearerFromProtocols(offered)).hasValue(token);
        assertThat(ExecProtocol.bearerFromProtocols(ExecProtocol.NAME)).isEmpty();
        assertThat(ExecProtocol.bearerFromProtocols(null)).isEmpty();
        assertThat(ExecProtocol.bearerFromProtocols(ExecProtocol.BEARER_PREFIX + "!!!")).isEmpty();
    }
}

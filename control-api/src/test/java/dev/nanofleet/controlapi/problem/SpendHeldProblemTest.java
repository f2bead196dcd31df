package dev.nanofleet.controlapi.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The 402 a request meets while its tenant's spend limit is reached: its type, status and members. */
class SpendHeldProblemTest {

    private static final Instant PERIOD_END = Instant.parse("2027-01-01T00:00:00Z");

    @Test
    void a_spend_hold_refusal_is_a_402_whose_members_carry_the_exact_figures() {
        ProblemException refusal = new ProblemException(
                new SpendHeld(new BigDecimal("25.00"), new BigDecimal("25.130"), "USD", PERIOD_END));

        Problem problem = Problem.of(refusal, URI.create("/v1/deployments"));

        assertThat(problem.status()).isEqualTo(402);
        assertThat(problem.type().toString()).isEqualTo("urn:nanofleet:problem:spend-limit-reached");
        assertThat(problem.title()).isEqualTo("Spend limit reached");
        assertThat(problem.limit()).isEqualTo("25.00");
        assertThat(problem.spend()).isEqualTo("25.130");
        assertThat(problem.currency()).isEqualTo("USD");
        assertThat(problem.periodEnd()).isEqualTo(PERIOD_END);
        assertThat(problem.detail()).contains("spend limit of 25.00 USD", "25.130 USD spent",
                "2027-01-01T00:00:00Z");
        assertThat(problem.quota()).isNull();
    }

    @Test
    void amounts_are_written_without_an_exponent() {
        Problem problem = Problem.of(
                new ProblemException(new SpendHeld(new BigDecimal("1E+2"), new BigDecimal("1E+2"), "EUR",
                        PERIOD_END)),
                null);

        assertThat(problem.limit()).isEqualTo("100");
        assertThat(problem.spend()).isEqualTo("100");
    }

    @Test
    void other_problems_carry_no_spend_members() {
        Problem problem = Problem.of(ProblemException.notFound("deployment 'x'"), null);

        assertThat(problem.limit()).isNull();
        assertThat(problem.spend()).isNull();
        assertThat(problem.currency()).isNull();
        assertThat(problem.periodEnd()).isNull();
    }
}

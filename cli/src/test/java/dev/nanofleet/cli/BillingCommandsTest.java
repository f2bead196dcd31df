package dev.nanofleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * usage, invoices and spend-limit end to end against a fake tenant-billing on its own base URL (answers shaped like
 * tenant-billing's API.md: exact decimals as JSON numbers, problem JSON with urn:nanofleet:problem types), and the
 * spend hold as control-api shows it in whoami, quota and a refused create or start.
 */
class BillingCommandsTest {

    private static final String INVOICE = "5b2e7c1a-0d3f-4e6a-9b8c-7d6e5f4a3b2c";
    private static final String DEPLOYMENT = "3f0c2a8e-5b1d-4c6e-9f7a-0123456789ab";

    private static final String USAGE = """
            {"tenant":"acme","period":{"start":"2026-02-01T00:00:00Z","end":"2026-03-01T00:00:00Z"},
             "asOf":"2026-02-10T12:00:00Z","currency":"EUR","cost":1.2500000,"freeGrantCredit":1.00,
             "rows":[{"deploymentId":"%s","deploymentName":"web","isolation":"shared","day":"2026-02-09",
                      "reservedVcpuSeconds":21600.000,"reservedGibSeconds":5400.0,"usedVcpuSeconds":812.25,
                      "usedGibSeconds":1200.5,"cost":0.0000125}]}""".formatted(DEPLOYMENT);

    private static final String FORECAST = """
            {"tenant":"acme","period":{"start":"2026-02-01T00:00:00Z","end":"2026-03-01T00:00:00Z"},
             "asOf":"2026-02-10T12:00:00Z","currency":"EUR","soFar":0.2500000,"perHour":0.0120,
             "projected":5.9620000,"amountDueProjected":5.96}""";

    private static final String INVOICES = """
            [{"id":"%s","number":1,"displayNumber":"NF-acme-00001",
              "period":{"start":"2026-01-01T00:00:00Z","end":"2026-02-01T00:00:00Z"},"currency":"EUR",
              "total":12.3456780,"amountDue":12.35,"finalizedAt":"2026-02-01T00:05:00Z",
              "links":{"self":"/v1/invoices/%1$s","csv":"/v1/invoices/%1$s.csv","pdf":"/v1/invoices/%1$s.pdf"}}]"""
            .formatted(INVOICE);

    private static final String INVOICE_JSON = """
            {"id":"%s","number":1,"displayNumber":"NF-acme-00001","tenant":"acme",
             "period":{"start":"2026-01-01T00:00:00Z","end":"2026-02-01T00:00:00Z"},"currency":"EUR",
             "finalizedAt":"2026-02-01T00:05:00Z",
             "lines":[{"kind":"usage","deploymentId":"%s","deploymentName":"web","isolation":"shared",
                       "resource":"vcpu","unit":"vCPU-s","priceVersion":"2026-01","from":"2026-01-01T00:00:00Z",
                       "to":"2026-02-01T00:00:00Z","quantity":2678400,"unitPrice":0.0000046,"amount":12.3206400},
                      {"kind":"free-grant","deploymentId":null,"deploymentName":null,"isolation":"shared",
                       "resource":"vcpu","unit":"vCPU-s","priceVersion":"2026-01","from":null,"to":null,
                       "quantity":-1,"unitPrice":0.0000046,"amount":-0.0000046}],
             "total":12.3456780,"amountDue":12.35,
             "links":{"self":"/v1/invoices/%1$s","csv":"/v1/invoices/%1$s.csv","pdf":"/v1/invoices/%1$s.pdf"}}"""
            .formatted(INVOICE, DEPLOYMENT);

    private static final String SPEND_LIMIT = """
            {"limit":{"amount":50.00,"currency":"EUR","alertThresholds":[75,90,100],"hard":true,
                      "updatedAt":"2026-02-03T09:00:00Z"},
             "period":{"start":"2026-02-01T00:00:00Z","end":"2026-03-01T00:00:00Z"},
             "spend":40.1000000,"alertsSent":[75],"heldSince":null}""";

    private static final String NO_SPEND_LIMIT = """
            {"limit":null,"period":{"start":"2026-02-01T00:00:00Z","end":"2026-03-01T00:00:00Z"},
             "spend":40.1000000,"alertsSent":[],"heldSince":null}""";

    private static final String SPEND_HOLD = """
            "spendHold":{"since":"2026-02-10T12:00:00Z","limit":"25.00","spend":"25.10","currency":"USD",
                         "periodEnd":"2026-03-01T00:00:00Z"}""";

    @TempDir
    Path config;

    @TempDir
    Path downloads;

    private FakeApi api;
    private FakeApi billing;
    private CliRun cli;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws IOException {
        api = new FakeApi();
        billing = new FakeApi();
        cli = new CliRun(api.url(), config);
        cli.env.put("NANOFLEET_TOKEN", "nfk_test");
        cli.env.put("NANOFLEET_BILLING_URL", billing.url());
    }

    @AfterEach
    void stop() {
        api.close();
        billing.close();
    }

    private static FakeApi.Response problem(int status, String slug, String title, String detail) {
        return new FakeApi.Response(status, "application/problem+json", "{\"type\":\"urn:nanofleet:problem:" + slug
                + "\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
    }

    @Test
    void usage_asks_billing_with_the_same_token_and_prints_a_summary_and_a_row_per_deployment_mode_and_day() {
        billing.on("GET", "/v1/usage", 200, USAGE);

        assertThat(cli.run("usage")).as(cli.err()).isEqualTo(0);

        assertThat(api.requests).isEmpty();
        assertThat(billing.requests).singleElement()
                .satisfies(r -> assertThat(r.authorization()).isEqualTo("Bearer nfk_test"));
        assertThat(cli.out()).isEqualTo("""
                Period 2026-02-01/2026-03-01 as of 2026-02-10T12:00:00Z: cost 1.2500000 EUR, free grant credit 1.00 EUR.
                DEPLOYMENT  ISOLATION  DAY         RESERVED VCPU-S  RESERVED GIB-S  USED VCPU-S  USED GIB-S  COST
                web         shared     2026-02-09  21600.000        5400.0          812.25       1200.5      0.0000125
                """);
    }

    @Test
    void usage_json_prints_the_apis_json_with_every_decimal_as_written() throws Exception {
        billing.on("GET", "/v1/usage", 200, USAGE);

        assertThat(cli.run("usage", "--json")).isEqualTo(0);

        assertThat(json.readTree(cli.out())).isEqualTo(json.readTree(USAGE));
        // not through a double: scale kept, no exponent
        assertThat(cli.out()).contains("\"cost\" : 1.2500000", "\"freeGrantCredit\" : 1.00",
                "\"reservedVcpuSeconds\" : 21600.000", "\"cost\" : 0.0000125");
    }

    @Test
    void usage_with_no_rows_still_prints_the_summary() {
        billing.on("GET", "/v1/usage", 200, USAGE.replaceAll("(?s)\"rows\":\\[.*]", "\"rows\":[]"));

        assertThat(cli.run("usage")).isEqualTo(0);

        assertThat(cli.out()).endsWith("free grant credit 1.00 EUR.\n(none)\n");
    }

    @Test
    void usage_forecast_prints_so_far_per_hour_projected_and_amount_due() {
        billing.on("GET", "/v1/usage/forecast", 200, FORECAST);

        assertThat(cli.run("usage", "--forecast")).isEqualTo(0);

        assertThat(cli.out()).isEqualTo("""
                period:               2026-02-01/2026-03-01
                as of:                2026-02-10T12:00:00Z
                so far:               0.2500000 EUR
                per hour:             0.0120 EUR
                projected:            5.9620000 EUR
                amount due projected: 5.96 EUR
                """);
    }

    @Test
    void usage_forecast_json_prints_the_apis_json() throws Exception {
        billing.on("GET", "/v1/usage/forecast", 200, FORECAST);

        assertThat(cli.run("usage", "--forecast", "--json")).isEqualTo(0);

        assertThat(json.readTree(cli.out())).isEqualTo(json.readTree(FORECAST));
        assertThat(cli.out()).contains("\"perHour\" : 0.0120");
    }

    @Test
    void without_a_billing_url_a_billing_command_exits_2_naming_the_variable_and_the_option() {
        cli.env.remove("NANOFLEET_BILLING_URL");

        assertThat(cli.run("usage")).isEqualTo(ExitCodes.USAGE);

        assertThat(cli.err()).isEqualTo("error: no billing URL: set NANOFLEET_BILLING_URL (`./fleet up` writes it"
                + " to .fleet/env) or pass --billing-url\n");
        assertThat(api.requests).isEmpty();
        assertThat(billing.requests).isEmpty();
    }

    @Test
    void the_billing_url_option_wins_over_the_environment() {
        cli.env.put("NANOFLEET_BILLING_URL", "http://127.0.0.1:1");
        billing.on("GET", "/v1/spend-limit", 200, SPEND_LIMIT);

        assertThat(cli.run("spend-limit", "--billing-url", billing.url() + "/")).as(cli.err()).isEqualTo(0);

        assertThat(billing.requests).singleElement().satisfies(r -> assertThat(r.path()).isEqualTo(
                "/v1/spend-limit"));
    }

    @Test
    void billing_that_does_not_answer_exits_5_and_says_where_its_url_comes_from() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        cli.env.put("NANOFLEET_BILLING_URL", "http://127.0.0.1:" + closedPort);

        assertThat(cli.run("invoices")).isEqualTo(ExitCodes.UNREACHABLE);

        assertThat(cli.err()).contains("cannot reach the billing API at http://127.0.0.1:" + closedPort,
                "NANOFLEET_BILLING_URL or --billing-url");
    }

    @Test
    void a_token_without_the_read_scope_gets_billings_problem_and_exits_1() {
        billing.on("GET", "/v1/usage", r -> problem(403, "forbidden", "Forbidden",
                "the API token lacks scope read"));

        assertThat(cli.run("usage")).isEqualTo(ExitCodes.API_ERROR);

        assertThat(cli.err()).isEqualTo("error: Forbidden: the API token lacks scope read\n");
    }

    @Test
    void a_refused_token_exits_3_with_billings_detail() {
        billing.on("GET", "/v1/invoices", r -> problem(401, "unauthorized", "Authentication required",
                "the API token is revoked"));

        assertThat(cli.run("invoices")).isEqualTo(ExitCodes.NOT_LOGGED_IN);

        assertThat(cli.err()).startsWith("error: Authentication required: the API token is revoked\n");
    }

    @Test
    void invoices_lists_number_id_period_totals_and_when_finalized() {
        billing.on("GET", "/v1/invoices", 200, INVOICES);

        assertThat(cli.run("invoices")).as(cli.err()).isEqualTo(0);

        assertThat(cli.out()).isEqualTo(
                """
                        NUMBER         ID                                    PERIOD                 TOTAL           AMOUNT DUE  FINALIZED
                        NF-acme-00001  %s  2026-01-01/2026-02-01  12.3456780 EUR  12.35 EUR   2026-02-01T00:05:00Z
                        """
                        .formatted(INVOICE));
    }

    @Test
    void invoices_json_prints_the_apis_json() throws Exception {
        billing.on("GET", "/v1/invoices", 200, INVOICES);

        assertThat(cli.run("invoices", "--json")).isEqualTo(0);

        assertThat(json.readTree(cli.out())).isEqualTo(json.readTree(INVOICES));
        assertThat(cli.out()).contains("\"total\" : 12.3456780");
    }

    @Test
    void no_invoices_yet_prints_none() {
        billing.on("GET", "/v1/invoices", 200, "[]");

        assertThat(cli.run("invoices")).isEqualTo(0);

        assertThat(cli.out()).isEqualTo("(none)\n");
    }

    @Test
    void invoices_show_prints_the_header_the_lines_and_the_totals() {
        billing.on("GET", "/v1/invoices/" + INVOICE, 200, INVOICE_JSON);

        assertThat(cli.run("invoices", "show", INVOICE)).as(cli.err()).isEqualTo(0);

        assertThat(cli.out()).isEqualTo(
                """
                        number:    NF-acme-00001
                        id:        %s
                        tenant:    acme
                        period:    2026-01-01/2026-02-01
                        finalized: 2026-02-01T00:05:00Z

                        KIND        DEPLOYMENT  ISOLATION  RESOURCE  FROM                  TO                    QUANTITY        UNIT PRICE  AMOUNT
                        usage       web         shared     vcpu      2026-01-01T00:00:00Z  2026-02-01T00:00:00Z  2678400 vCPU-s  0.0000046   12.3206400
                        free-grant  -           shared     vcpu      -                     -                     -1 vCPU-s       0.0000046   -0.0000046

                        total:      12.3456780 EUR
                        amount due: 12.35 EUR
                        """
                        .formatted(INVOICE));
    }

    @Test
    void invoices_show_json_prints_the_apis_json() throws Exception {
        billing.on("GET", "/v1/invoices/" + INVOICE, 200, INVOICE_JSON);

        assertThat(cli.run("invoices", "show", INVOICE, "--json")).isEqualTo(0);

        assertThat(json.readTree(cli.out())).isEqualTo(json.readTree(INVOICE_JSON));
        assertThat(cli.out()).contains("\"unitPrice\" : 0.0000046", "\"amount\" : -0.0000046");
    }

    @Test
    void an_unknown_or_foreign_invoice_is_billings_404_problem_and_exits_1() {
        billing.on("GET", "/v1/invoices/nope", r -> problem(404, "not-found", "Not found", "invoice nope not found"));

        assertThat(cli.run("invoices", "show", "nope")).isEqualTo(ExitCodes.API_ERROR);

        assertThat(cli.err()).isEqualTo("error: Not found: invoice nope not found\n");
    }

    @Test
    void download_pdf_saves_the_bytes_unchanged_under_the_apis_file_name() throws Exception {
        byte[] pdf = pdfLikeBytes();
        billing.on("GET", "/v1/invoices/" + INVOICE + ".pdf", r -> new FakeApi.Response(200, "application/pdf", pdf,
                Map.of("Content-Disposition", "attachment; filename=\"NF-acme-00001.pdf\"")));

        assertThat(cli.run("invoices", "download", INVOICE, "--pdf", "-o", downloads.toString())).as(cli.err())
                .isEqualTo(0);

        Path saved = downloads.resolve("NF-acme-00001.pdf");
        assertThat(Files.readAllBytes(saved)).isEqualTo(pdf);
        assertThat(billing.requests).singleElement().satisfies(r -> assertThat(r.accept()).isEqualTo(
                "application/pdf, application/problem+json"));
        assertThat(cli.out()).isEqualTo("Saved invoice " + INVOICE + " to " + saved + " (" + pdf.length
                + " bytes).\n");
        try (var left = Files.list(downloads)) {
            assertThat(left).containsExactly(saved);
        }
    }

    @Test
    void download_csv_to_a_file_replaces_it_with_the_exact_bytes() throws Exception {
        byte[] csv = ("invoice,kind,deploymentId,deploymentName,isolation,resource,unit,priceVersion,from,to,"
                + "quantity,unitPrice,amount,currency\r\nNF-acme-00001,usage," + DEPLOYMENT + ",\"web, \"\"α\"\"\","
                + "shared,vcpu,vCPU-s,2026-01,2026-01-01T00:00:00Z,2026-02-01T00:00:00Z,2678400,0.0000046,"
                + "12.3206400,EUR\r\n").getBytes(StandardCharsets.UTF_8);
        billing.on("GET", "/v1/invoices/" + INVOICE + ".csv", r -> new FakeApi.Response(200,
                "text/csv; charset=UTF-8", csv, Map.of("Content-Disposition",
                        "attachment; filename=\"NF-acme-00001.csv\"")));
        Path target = downloads.resolve("january.csv");
        Files.writeString(target, "old");

        assertThat(cli.run("invoices", "download", INVOICE, "--csv", "-o", target.toString())).as(cli.err())
                .isEqualTo(0);

        assertThat(Files.readAllBytes(target)).isEqualTo(csv);
        assertThat(billing.requests).singleElement().satisfies(r -> assertThat(r.accept()).isEqualTo(
                "text/csv, application/problem+json"));
    }

    @Test
    void download_without_a_usable_file_name_names_the_file_after_the_invoice_number() throws Exception {
        byte[] pdf = pdfLikeBytes();
        // a file name that would leave the directory is not taken
        billing.on("GET", "/v1/invoices/" + INVOICE + ".pdf", r -> new FakeApi.Response(200, "application/pdf", pdf,
                Map.of("Content-Disposition", "attachment; filename=\"../../.bashrc\"")));
        billing.on("GET", "/v1/invoices/" + INVOICE, 200, INVOICE_JSON);

        assertThat(cli.run("invoices", "download", INVOICE, "--pdf", "-o", downloads.toString())).as(cli.err())
                .isEqualTo(0);

        assertThat(Files.readAllBytes(downloads.resolve("NF-acme-00001.pdf"))).isEqualTo(pdf);
    }

    @Test
    void download_of_an_unknown_invoice_exits_1_and_leaves_no_file() throws Exception {
        billing.on("GET", "/v1/invoices/" + INVOICE + ".pdf", r -> problem(404, "not-found", "Not found",
                "invoice " + INVOICE + " not found"));

        assertThat(cli.run("invoices", "download", INVOICE, "--pdf", "-o", downloads.toString()))
                .isEqualTo(ExitCodes.API_ERROR);

        assertThat(cli.err()).isEqualTo("error: Not found: invoice " + INVOICE + " not found\n");
        try (var left = Files.list(downloads)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void download_needs_exactly_one_of_pdf_and_csv() {
        assertThat(cli.run("invoices", "download", INVOICE)).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("invoices", "download", INVOICE, "--pdf", "--csv")).isEqualTo(ExitCodes.USAGE);

        assertThat(billing.requests).isEmpty();
    }

    @Test
    void the_file_name_is_taken_from_content_disposition_only_when_it_names_a_plain_file() {
        assertThat(InvoicesCommand.Download.fileName("attachment; filename=\"NF-acme-00001.pdf\""))
                .isEqualTo("NF-acme-00001.pdf");
        assertThat(InvoicesCommand.Download.fileName("attachment; filename=NF-acme-00002.csv")).isEqualTo(
                "NF-acme-00002.csv");
        assertThat(InvoicesCommand.Download.fileName("attachment; filename=\"/etc/passwd\"")).isNull();
        assertThat(InvoicesCommand.Download.fileName("attachment; filename=\"..\"")).isNull();
        assertThat(InvoicesCommand.Download.fileName("attachment; filename=\".hidden\"")).isNull();
        assertThat(InvoicesCommand.Download.fileName("attachment")).isNull();
        assertThat(InvoicesCommand.Download.fileName(null)).isNull();
    }

    @Test
    void spend_limit_shows_the_limit_its_alerts_and_the_spend_this_period() {
        billing.on("GET", "/v1/spend-limit", 200, SPEND_LIMIT);

        assertThat(cli.run("spend-limit")).as(cli.err()).isEqualTo(0);

        assertThat(cli.out()).isEqualTo("""
                limit:       50.00 EUR
                hard:        yes: reaching it stops the deployments
                alert at:    75%, 90%, 100%
                period:      2026-02-01/2026-03-01
                spend:       40.1000000 EUR
                alerts sent: 75%
                held since:  -
                """);
    }

    @Test
    void spend_limit_without_a_limit_says_none() {
        billing.on("GET", "/v1/spend-limit", 200, NO_SPEND_LIMIT);

        assertThat(cli.run("spend-limit")).isEqualTo(0);

        assertThat(cli.out()).startsWith("limit:       none\nhard:        -\n").contains("spend:       40.1000000\n");
    }

    @Test
    void spend_limit_json_prints_the_apis_json() throws Exception {
        billing.on("GET", "/v1/spend-limit", 200, SPEND_LIMIT);

        assertThat(cli.run("spend-limit", "--json")).isEqualTo(0);

        assertThat(json.readTree(cli.out())).isEqualTo(json.readTree(SPEND_LIMIT));
        assertThat(cli.out()).contains("\"amount\" : 50.00");
    }

    @Test
    void spend_limit_set_puts_the_amount_exactly_with_the_alerts_and_hard_unless_soft() throws Exception {
        billing.on("PUT", "/v1/spend-limit", r -> FakeApi.json(200, SPEND_LIMIT.replace("50.00", "120.50")
                .replace("\"hard\":true", "\"hard\":false")));

        assertThat(cli.run("spend-limit", "set", "120.50", "--soft", "--alert", "50,80,100")).as(cli.err())
                .isEqualTo(0);

        FakeApi.Request put = billing.requests.getFirst();
        assertThat(put.contentType()).isEqualTo("application/json");
        assertThat(put.body().replaceAll("\\s", "")).isEqualTo(
                "{\"amount\":120.50,\"alertThresholds\":[50,80,100],\"hard\":false}");
        assertThat(cli.out()).startsWith("Spend limit set.\nlimit:       120.50 EUR\n")
                .contains("hard:        no: reaching it only alerts");
    }

    @Test
    void spend_limit_set_without_options_sends_a_hard_limit_and_leaves_the_alerts_to_the_api() {
        billing.on("PUT", "/v1/spend-limit", 200, SPEND_LIMIT);

        assertThat(cli.run("spend-limit", "set", "50", "--json")).isEqualTo(0);

        assertThat(billing.requests.getFirst().body().replaceAll("\\s", "")).isEqualTo(
                "{\"amount\":50,\"hard\":true}");
    }

    @Test
    void spend_limit_set_refused_by_billing_names_the_bad_field() {
        billing.on("PUT", "/v1/spend-limit", 400, """
                {"type":"urn:nanofleet:problem:validation","title":"The request is invalid","status":400,
                 "detail":"the request has 1 invalid field",
                 "errors":[{"field":"amount","message":"must have at most 2 decimals"}]}""");

        assertThat(cli.run("spend-limit", "set", "10.001")).isEqualTo(ExitCodes.API_ERROR);

        assertThat(billing.requests.getFirst().body().replaceAll("\\s", "")).contains("\"amount\":10.001");
        assertThat(cli.err()).isEqualTo("""
                error: The request is invalid: the request has 1 invalid field
                  amount: must have at most 2 decimals
                """);
    }

    @Test
    void spend_limit_set_with_an_amount_that_is_no_number_is_a_usage_error() {
        assertThat(cli.run("spend-limit", "set", "fifty")).isEqualTo(ExitCodes.USAGE);

        assertThat(billing.requests).isEmpty();
    }

    @Test
    void spend_limit_remove_deletes_it_and_shows_the_status_without_a_limit() {
        billing.on("DELETE", "/v1/spend-limit", 200, NO_SPEND_LIMIT);

        assertThat(cli.run("spend-limit", "remove")).as(cli.err()).isEqualTo(0);

        assertThat(billing.requests).singleElement().satisfies(r -> assertThat(r.method()).isEqualTo("DELETE"));
        assertThat(cli.out()).startsWith("Spend limit removed.\nlimit:       none\n");
    }

    @Test
    void whoami_says_when_the_spend_limit_has_stopped_the_tenant() {
        api.on("GET", "/v1/me", 200, "{\"subject\":\"user:alice\",\"kind\":\"user\",\"tenant\":\"acme\","
                + "\"operator\":false,\"scopes\":[\"read\"]," + SPEND_HOLD + "}");

        assertThat(cli.run("whoami")).isEqualTo(0);

        assertThat(cli.out()).endsWith("scopes:   read\nSpend limit reached: 25.10 of 25.00 USD since "
                + "2026-02-10T12:00:00Z; deployments are stopped\n");
    }

    @Test
    void whoami_without_a_hold_says_nothing_about_spend() {
        api.on("GET", "/v1/me", 200, "{\"subject\":\"user:alice\",\"kind\":\"user\",\"tenant\":\"acme\","
                + "\"operator\":false,\"scopes\":[\"read\"]}");

        assertThat(cli.run("whoami")).isEqualTo(0);

        assertThat(cli.out()).doesNotContain("Spend");
    }

    @Test
    void quota_says_when_the_spend_limit_has_stopped_the_tenant() {
        api.on("GET", "/v1/me", 200, "{\"subject\":\"user:alice\",\"kind\":\"user\",\"tenant\":\"acme\"}");
        api.on("GET", "/v1/tenants/acme/usage", 200, "{\"tenant\":\"acme\",\"quotas\":[{\"isolation\":"
                + "\"shared\",\"resource\":\"cpuMillis\",\"limit\":8000,\"used\":0}]," + SPEND_HOLD + "}");

        assertThat(cli.run("quota")).isEqualTo(0);

        assertThat(cli.out()).isEqualTo("""
                tenant acme
                ISOLATION  RESOURCE   USED  LIMIT
                shared     cpuMillis  0     8000
                Spend limit reached: 25.10 of 25.00 USD since 2026-02-10T12:00:00Z; deployments are stopped
                """);
    }

    private static final String SPEND_LIMIT_REACHED = """
            {"type":"urn:nanofleet:problem:spend-limit-reached","title":"Spend limit reached","status":402,
             "detail":"the tenant's spend limit of 25.00 USD is reached (25.10 USD spent in the period ending 2026-03-01T00:00:00Z): nothing that spends more is accepted until the limit is raised or a new period begins; stopping, scaling down, deleting and reading still work",
             "limit":"25.00","spend":"25.10","currency":"USD","periodEnd":"2026-03-01T00:00:00Z"}""";

    private static final String REFUSED = """
            error: Spend limit reached: the tenant's spend limit of 25.00 USD is reached (25.10 USD spent in the \
            period ending 2026-03-01T00:00:00Z): nothing that spends more is accepted until the limit is raised or a \
            new period begins; stopping, scaling down, deleting and reading still work
              currency: USD
              limit: 25.00
              periodEnd: 2026-03-01T00:00:00Z
              spend: 25.10
            (see `nanofleet spend-limit`; raise the limit with `nanofleet spend-limit set AMOUNT` or remove it with \
            `nanofleet spend-limit remove`; stopping, scaling down and deleting still work)
            """;

    @Test
    void a_create_refused_for_the_spend_limit_exits_1_with_the_figures_and_what_to_do() {
        api.on("POST", "/v1/deployments", 402, SPEND_LIMIT_REACHED);

        int code = cli.run("deploy", "--name", "web", "--image", "reg/web:1");

        assertThat(code).isEqualTo(ExitCodes.API_ERROR);
        assertThat(cli.err()).isEqualTo(REFUSED);
    }

    @Test
    void a_start_refused_for_the_spend_limit_exits_1_with_the_figures_and_what_to_do() {
        api.on("POST", "/v1/deployments/" + DEPLOYMENT + "/start", 402, SPEND_LIMIT_REACHED);

        int code = cli.run("start", DEPLOYMENT);

        assertThat(code).isEqualTo(ExitCodes.API_ERROR);
        assertThat(cli.err()).isEqualTo(REFUSED);
    }

    @Test
    void a_402_without_problem_json_still_says_payment_required() {
        api.on("POST", "/v1/deployments", r -> new FakeApi.Response(402, "text/plain", ""));

        assertThat(cli.run("deploy", "--name", "web", "--image", "reg/web:1")).isEqualTo(ExitCodes.API_ERROR);

        assertThat(cli.err()).isEqualTo("error: Payment Required\n");
    }

    /** Bytes a text decoding would change: every byte value, CR/LF pairs, and invalid UTF-8 sequences. */
    private static byte[] pdfLikeBytes() {
        byte[] head = "%PDF-1.7\r\n%\u00e2\u00e3\u00cf\u00d3\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + 256 + 4096];
        System.arraycopy(head, 0, all, 0, head.length);
        for (int i = 0; i < 256; i++) {
            all[head.length + i] = (byte) i;
        }
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        System.arraycopy(noise, 0, all, head.length + 256, noise.length);
        return all;
    }
}

package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.fakes.FakePorts;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import dev.nanofleet.tenantbilling.fakes.FakeControlApiResource;
import dev.nanofleet.tenantbilling.fakes.FakeInvoices;
import dev.nanofleet.tenantbilling.fakes.Fixtures;
import dev.nanofleet.tenantbilling.fakes.Tokens;
import dev.nanofleet.tenantbilling.invoice.FinalInvoice;
import dev.nanofleet.tenantbilling.render.InvoicePdf;
import dev.nanofleet.tenantbilling.fakes.OidcOn;
import dev.nanofleet.testsupport.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FakePorts.class)
@WithTestResource(KeycloakTestResource.class)
@WithTestResource(OidcOn.class)
@WithTestResource(FakeControlApiResource.class)
class InvoiceApiIT {

    static final UUID ACME_JANUARY = UUID.fromString("a0000000-0000-4000-8000-000000000001");
    static final UUID ACME_FEBRUARY = UUID.fromString("a0000000-0000-4000-8000-000000000002");
    static final UUID GLOBEX_JANUARY = UUID.fromString("b0000000-0000-4000-8000-000000000001");

    @Inject
    FakeInvoices invoices;

    private FinalInvoice acmeJanuary;

    @BeforeEach
    void store_invoices_of_two_tenants() {
        invoices.clear();
        acmeJanuary = Fixtures.invoice(ACME_JANUARY, "acme", 1, Fixtures.JANUARY);
        invoices.store(acmeJanuary);
        invoices.store(Fixtures.invoice(ACME_FEBRUARY, "acme", 2, Fixtures.FEBRUARY));
        invoices.store(Fixtures.invoice(GLOBEX_JANUARY, "globex", 1, Fixtures.JANUARY));
    }

    @Test
    void a_tenant_lists_only_its_own_invoices_newest_first_with_links_to_csv_and_pdf() {
        given().header("Authorization", Tokens.bearer("alice")).get("/v1/invoices").then().statusCode(200)
                .body("displayNumber", contains("NF-acme-00002", "NF-acme-00001"))
                .body("[1].id", equalTo(ACME_JANUARY.toString())).body("[1].number", equalTo(1))
                .body("[1].period.start", equalTo("2026-01-01T00:00:00Z"))
                .body("[1].finalizedAt", equalTo("2026-02-01T01:00:00Z"))
                .body("[1].links.csv", equalTo("/v1/invoices/" + ACME_JANUARY + ".csv"))
                .body("[1].links.pdf", equalTo("/v1/invoices/" + ACME_JANUARY + ".pdf"));
        given().header("Authorization", Tokens.bearer("bob")).get("/v1/invoices").then().statusCode(200)
                .body("id", contains(GLOBEX_JANUARY.toString()));
    }

    @Test
    void an_invoice_reads_as_the_same_bytes_every_time_with_exact_plain_decimals_and_lowercase_names() {
        String first = given().header("Authorization", Tokens.bearer("alice")).get("/v1/invoices/" + ACME_JANUARY)
                .then().statusCode(200).contentType("application/json").extract().asString();
        String second = given().header("Authorization", Tokens.bearer("alice"))
                .get("/v1/invoices/" + ACME_JANUARY.toString().toUpperCase()).then().statusCode(200).extract()
                .asString();

        assertThat(second).isEqualTo(first);
        assertThat(first).startsWith("{\"id\":\"" + ACME_JANUARY
                + "\",\"number\":1,\"displayNumber\":\"NF-acme-00001\","
                + "\"tenant\":\"acme\",\"period\":{\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-02-01T00:00:00Z\"},"
                + "\"currency\":\"EUR\",\"finalizedAt\":\"2026-02-01T01:00:00Z\",\"lines\":[{\"kind\":\"usage\","
                + "\"deploymentId\":\"" + Fixtures.WEB + "\",\"deploymentName\":\"web\",\"isolation\":\"hardware\","
                + "\"resource\":\"vcpu\",\"unit\":\"vCPU-s\",\"priceVersion\":\"2026-01\","
                + "\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-02-01T00:00:00Z\",\"quantity\":1800000,"
                + "\"unitPrice\":0.0000125,\"amount\":22.5000000},");
        assertThat(first).contains("{\"kind\":\"free-grant\",").contains("\"isolation\":\"shared\"")
                .endsWith("\"total\":" + acmeJanuary.invoice().total().toPlainString() + ",\"amountDue\":"
                        + acmeJanuary.invoice().amountDue().toPlainString() + ",\"links\":{\"self\":\"/v1/invoices/"
                        + ACME_JANUARY + "\",\"csv\":\"/v1/invoices/" + ACME_JANUARY + ".csv\",\"pdf\":\"/v1/invoices/"
                        + ACME_JANUARY + ".pdf\"}}");
    }

    @Test
    void another_tenants_invoice_is_not_found_in_any_format() {
        for (String path : new String[]{"", ".csv", ".pdf"}) {
            given().header("Authorization", Tokens.bearer("alice")).get("/v1/invoices/" + GLOBEX_JANUARY + path)
                    .then().statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo("urn:nanofleet:problem:not-found"));
        }
    }

    @Test
    void an_unknown_id_and_an_id_that_is_not_a_uuid_are_not_found_as_in_control_api() {
        given().header("Authorization", Tokens.bearer("alice")).get("/v1/invoices/" + UUID.randomUUID()).then()
                .statusCode(404).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer("alice")).get("/v1/invoices/not-an-id").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("urn:nanofleet:problem:not-found"));
        given().header("Authorization", Tokens.bearer("alice")).get("/v1/invoices/not-an-id.pdf").then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void the_csv_download_has_a_header_row_and_one_rfc_4180_row_per_line() {
        String csv = given().header("Authorization", Tokens.bearer("alice"))
                .get("/v1/invoices/" + ACME_JANUARY + ".csv").then().statusCode(200)
                .contentType(startsWith("text/csv")).header("Content-Disposition",
                        equalTo("attachment; filename=\"NF-acme-00001.csv\""))
                .extract().asString();

        String[] rows = csv.split("\r\n");
        assertThat(rows).hasSize(1 + acmeJanuary.invoice().lines().size());
        assertThat(rows[0]).startsWith("invoice,kind,deploymentId,deploymentName,isolation,resource,unit");
        assertThat(rows[3]).contains(",\"batch, \"\"nightly\"\"\",shared,vcpu,vCPU-s,");
        assertThat(csv).endsWith("\r\n");
    }

    @Test
    void accepting_text_csv_on_the_invoice_itself_gives_the_csv_and_anything_else_json() {
        String csv = given().header("Authorization", Tokens.bearer("alice")).accept("text/csv")
                .get("/v1/invoices/" + ACME_JANUARY).then().statusCode(200).contentType(startsWith("text/csv"))
                .extract().asString();
        assertThat(csv).startsWith("invoice,kind,");
        given().header("Authorization", Tokens.bearer("alice")).accept("application/json, text/csv;q=0.5")
                .get("/v1/invoices/" + ACME_JANUARY).then().statusCode(200).contentType("application/json");
    }

    @Test
    void the_pdf_download_shows_the_invoice_number_total_and_amount_due() throws Exception {
        byte[] pdf = given().header("Authorization", Tokens.bearer("alice"))
                .get("/v1/invoices/" + ACME_JANUARY + ".pdf").then().statusCode(200).contentType("application/pdf")
                .header("Content-Disposition", equalTo("attachment; filename=\"NF-acme-00001.pdf\"")).extract()
                .asByteArray();

        PdfReader reader = new PdfReader(pdf);
        StringBuilder text = new StringBuilder();
        PdfTextExtractor extractor = new PdfTextExtractor(reader);
        for (int page = 1; page <= reader.getNumberOfPages(); page++) {
            text.append(extractor.getTextFromPage(page)).append('\n');
        }
        reader.close();
        assertThat(text.toString()).contains("NF-acme-00001", "Nanofleet", "acme",
                InvoicePdf.amount(acmeJanuary.invoice().total()), InvoicePdf.amountDue(acmeJanuary.invoice()));
    }

    @Test
    void a_request_without_a_token_gets_a_401_problem() {
        given().get("/v1/invoices").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("urn:nanofleet:problem:unauthorized"));
        given().header("Authorization", "Bearer not-a-jwt").get("/v1/invoices/" + ACME_JANUARY + ".pdf").then()
                .statusCode(401).contentType("application/problem+json");
    }

    @Test
    void an_operator_has_no_invoices_of_its_own_and_is_told_where_to_look() {
        given().header("Authorization", Tokens.bearer("ops")).get("/v1/invoices").then().statusCode(403)
                .contentType("application/problem+json").body("detail", startsWith("operators have no tenant"));
    }
}

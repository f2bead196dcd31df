package dev.nanofleet.tenantbilling.api;

import dev.nanofleet.tenantbilling.fakes.FakePorts;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.tenantbilling.fakes.FakeControlApiResource;
import dev.nanofleet.tenantbilling.fakes.OidcOn;
import dev.nanofleet.testsupport.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FakePorts.class)
@WithTestResource(KeycloakTestResource.class)
@WithTestResource(OidcOn.class)
@WithTestResource(FakeControlApiResource.class)
class OpenApiDocumentIT {

    @Test
    void the_openapi_document_names_every_operation_and_both_ways_to_authenticate() {
        String document = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .asString();

        assertThat(document).contains("\"operationId\" : \"getUsage\"", "\"operationId\" : \"getUsageForecast\"",
                "\"operationId\" : \"listInvoices\"", "\"operationId\" : \"getInvoice\"",
                "\"operationId\" : \"getInvoiceCsv\"", "\"operationId\" : \"getInvoicePdf\"",
                "\"operationId\" : \"getSpendLimit\"", "\"operationId\" : \"setSpendLimit\"",
                "\"operationId\" : \"removeSpendLimit\"", "\"operationId\" : \"getRevenue\"",
                "\"operationId\" : \"getTopTenants\"", "\"/v1/invoices/{id}.pdf\"", "\"oidc\"", "\"bearer\"");
    }
}

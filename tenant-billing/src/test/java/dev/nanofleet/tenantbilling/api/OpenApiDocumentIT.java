package dev.nanofleet.tenantbilling.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.tenantbilling.fakes.FakeControlApiResource;
import dev.nanofleet.tenantbilling.fakes.FakePorts;
import dev.nanofleet.tenantbilling.fakes.OidcOn;
import dev.nanofleet.testsupport.KeycloakTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(FakePorts.class)
@WithTestResource(KeycloakTestResource.class)
@WithTestResource(OidcOn.class)
@WithTestResource(FakeControlApiResource.class)
class OpenApiDocumentIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> OPERATIONS = List.of("getUsage", "getUsageForecast", "getInstanceSamples",
            "listInvoices", "getInvoice", "getInvoiceCsv", "getInvoicePdf", "getSpendLimit", "setSpendLimit",
            "removeSpendLimit", "getRevenue", "getTopTenants", "getPrices");

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    String issuer;

    @Test
    void the_openapi_document_names_every_operation_and_both_ways_to_authenticate() throws IOException {
        JsonNode document = served();

        assertThat(operations(document).keySet()).containsExactlyInAnyOrderElementsOf(OPERATIONS);
        assertThat(document.at("/paths").has("/v1/invoices/{id}.pdf")).isTrue();
        assertThat(document.at("/components/securitySchemes/oidc/type").asText()).isEqualTo("openIdConnect");
        // the served document names the issuer this service checks tokens against
        assertThat(document.at("/components/securitySchemes/oidc/openIdConnectUrl").asText())
                .isEqualTo(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
        assertThat(document.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
    }

    @Test
    void every_operation_takes_either_scheme_and_answers_every_error_as_a_problem() throws IOException {
        JsonNode document = served();

        operations(document).forEach((id, operation) -> {
            assertThat(operation.get("security").toString()).as(id).isEqualTo("[{\"oidc\":[]},{\"bearer\":[]}]");
            JsonNode responses = operation.get("responses");
            assertThat(responses.get("401").get("$ref").asText()).as(id)
                    .isEqualTo("#/components/responses/Unauthorized");
            assertThat(responses.get("403").get("$ref").asText()).as(id).isEqualTo("#/components/responses/Forbidden");
            assertThat(responses.get("503").get("$ref").asText()).as(id)
                    .isEqualTo("#/components/responses/IdentityUnavailable");
            responses.fields().forEachRemaining(response -> {
                JsonNode answer = response.getValue().has("$ref")
                        ? document.at("/components/responses/" + response.getValue().get("$ref").asText()
                                .substring("#/components/responses/".length()))
                        : response.getValue();
                assertThat(answer.path("description").asText()).as(id + " " + response.getKey()).isNotBlank();
                if (response.getKey().compareTo("400") >= 0) {
                    assertThat(answer.at("/content/application~1problem+json/schema/$ref").asText())
                            .as(id + " " + response.getKey()).isEqualTo("#/components/schemas/Problem");
                }
            });
        });
        assertThat(operations(document).get("getInstanceSamples").get("responses").has("400")).isTrue();
        assertThat(operations(document).get("getInstanceSamples").get("responses").has("404")).isTrue();
        assertThat(document.at("/components/responses/IdentityUnavailable/headers").has("Retry-After")).isTrue();
    }

    @Test
    void the_new_answers_are_described_field_by_field_with_their_nulls() throws IOException {
        JsonNode schemas = served().at("/components/schemas");

        assertThat(required(schemas.get("InstanceSamples"))).containsExactly("instanceId", "tenant", "deploymentId",
                "since", "limit", "more", "samples");
        assertThat(required(schemas.get("InstanceSample"))).containsExactly("sampledAt", "cpuNanos", "memoryBytes",
                "cpuCores");
        assertThat(schemas.at("/InstanceSample/properties/cpuCores/type").toString())
                .isEqualTo("[\"number\",\"null\"]");
        assertThat(required(schemas.get("Prices"))).containsExactly("currency", "billingPeriod", "asOf", "current",
                "next", "freeGrant");
        // a nullable object is its schema or null, without a type that would refuse the null
        assertThat(schemas.at("/Prices/properties/next").has("type")).isFalse();
        assertThat(schemas.at("/Prices/properties/next/anyOf/1/type").asText()).isEqualTo("null");
        assertThat(required(schemas.get("IsolationPrices"))).containsExactly("perVcpuSecond", "perGibSecond",
                "perVcpuHour", "perGibHour");
        assertThat(schemas.at("/UUID").has("pattern")).isFalse();
    }

    @Test
    void the_build_writes_the_document_for_clients_to_generate_from() throws IOException {
        Path json = Path.of("target/openapi/openapi.json");
        assertThat(json).exists();
        assertThat(Path.of("target/openapi/openapi.yaml")).exists();
        JsonNode written = JSON.readTree(Files.readString(json));

        assertThat(operations(written).keySet()).containsExactlyInAnyOrderElementsOf(OPERATIONS);
        // the build names the local platform's realm and service; the rest is what is served
        assertThat(written.at("/components/securitySchemes/oidc/openIdConnectUrl").asText())
                .isEqualTo("http://127.0.0.1:18080/realms/nanofleet/.well-known/openid-configuration");
        assertThat(written.at("/servers/0/url").asText()).isEqualTo("http://127.0.0.1:18084");
        assertThat(written.at("/paths")).isEqualTo(served().at("/paths"));
    }

    private static JsonNode served() throws IOException {
        return JSON.readTree(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .asString());
    }

    private static Map<String, JsonNode> operations(JsonNode document) {
        Map<String, JsonNode> operations = new TreeMap<>();
        document.get("paths").forEach(item -> item.forEach(operation -> operations
                .put(operation.get("operationId").asText(), operation)));
        return operations;
    }

    private static List<String> required(JsonNode schema) {
        List<String> names = new ArrayList<>();
        schema.get("required").forEach(name -> names.add(name.asText()));
        return names;
    }
}

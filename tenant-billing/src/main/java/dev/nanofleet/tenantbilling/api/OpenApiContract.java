package dev.nanofleet.tenantbilling.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * What every operation of the billing API's OpenAPI document shares, in one place, so an endpoint added later gets it
 * without annotations, as control-api's document does: either security scheme of {@link BillingOpenApi}; the problems
 * any request can meet (401, 403, and 503 while control-api cannot vouch for an API token); a description on every
 * response and problem JSON on any error without a body of its own; the server. Clients generated from the document
 * (the portal's types) then know every answer's shape.
 *
 * <p>
 * Runs when the build writes the document ({@code target/openapi}) and again at start-up, where the OpenID Connect
 * discovery URL becomes the configured issuer's ({@code quarkus.oidc.auth-server-url}); it is idempotent.
 */
@OpenApiFilter(stages = {OpenApiFilter.RunStage.BUILD, OpenApiFilter.RunStage.RUNTIME_STARTUP})
public class OpenApiContract implements OASFilter {

    /** The local platform's issuer and tenant-billing (./fleet up): what the document written by the build names. */
    static final String LOCAL_ISSUER = "http://127.0.0.1:18080/realms/nanofleet";
    static final String LOCAL_SERVER = "http://127.0.0.1:18084";

    static final String OIDC = "oidc";
    static final String BEARER = "bearer";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    /** The problems any operation can answer, by status, as named in {@code components.responses}. */
    private static final Map<String, String> SHARED_PROBLEMS = new TreeMap<>(Map.of(
            "401", "Unauthorized",
            "403", "Forbidden",
            "503", "IdentityUnavailable"));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        issuer(components);
        sharedProblems(components);
        identifiers(components);
        openAPI.setServers(List.of(OASFactory.createServer().url(LOCAL_SERVER)
                .description("tenant-billing of the local platform (./fleet up)")));
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values()
                    .forEach(OpenApiContract::operation));
        }
    }

    /**
     * A {@code $ref} stands for its target: the scanner's {@code type} beside it ({@code string} next to the
     * {@code Instant} schema) would contradict it. Likewise a nullable field's alternatives ({@code anyOf} a schema or
     * {@code null}) say its type: the scanner's {@code type: object} beside them would refuse the null.
     */
    @Override
    public Schema filterSchema(Schema schema) {
        if (schema.getType() != null && (schema.getRef() != null || nullable(schema))) {
            schema.setType(null);
        }
        return schema;
    }

    private static boolean nullable(Schema schema) {
        return schema.getAnyOf() != null && schema.getAnyOf().stream()
                .anyMatch(alternative -> alternative.getType() != null
                        && alternative.getType().contains(Schema.SchemaType.NULL));
    }

    private static void operation(Operation operation) {
        operation.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(OIDC),
                OASFactory.createSecurityRequirement().addScheme(BEARER)));
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        SHARED_PROBLEMS.forEach((status, name) -> {
            if (operation.getResponses().getAPIResponse(status) == null) {
                operation.getResponses().addAPIResponse(status,
                        OASFactory.createAPIResponse().ref("#/components/responses/" + name));
            }
        });
        operation.getResponses().getAPIResponses().forEach((status, response) -> {
            if (response.getRef() != null) {
                return;
            }
            int code = status.equals("default") ? 500 : Integer.parseInt(status);
            if (response.getDescription() == null || response.getDescription().isBlank()) {
                Response.Status known = Response.Status.fromStatusCode(code);
                response.setDescription(known == null ? status : known.getReasonPhrase());
            }
            if (code >= 400 && (response.getContent() == null || response.getContent().getMediaTypes() == null
                    || response.getContent().getMediaTypes().isEmpty())) {
                response.setContent(problemContent());
            }
        });
        // in order of status, so the written document is the same at every build
        operation.getResponses().setAPIResponses(new TreeMap<>(operation.getResponses().getAPIResponses()));
    }

    /** The Keycloak realm the served document names is the one this service checks tokens against. */
    private static void issuer(Components components) {
        SecurityScheme oidc = components.getSecuritySchemes() == null
                ? null
                : components.getSecuritySchemes().get(OIDC);
        if (oidc != null) {
            String issuer = config("quarkus.oidc.auth-server-url", LOCAL_ISSUER).replaceAll("/+$", "");
            oidc.setOpenIdConnectUrl(issuer + "/.well-known/openid-configuration");
        }
    }

    private static void sharedProblems(Components components) {
        Map<String, APIResponse> responses = new LinkedHashMap<>();
        responses.put("Unauthorized",
                problemResponse("no token, an invalid or expired one, or an API token control-api "
                        + "refuses (its reason in detail)").addHeader(HttpHeaders.WWW_AUTHENTICATE,
                                OASFactory.createHeader().description("Bearer, with error=\"invalid_token\" for a "
                                        + "refused API token").schema(OASFactory.createSchema()
                                                .addType(Schema.SchemaType.STRING))));
        responses.put("Forbidden", problemResponse("the caller may not do this: a tenant on an operator endpoint, an "
                + "operator on a tenant's, or an API token without the scope (detail names it)"));
        responses.put("IdentityUnavailable", problemResponse("control-api cannot check the API token now "
                + "(urn:nanofleet:problem:identity-unavailable); try again after Retry-After seconds")
                .addHeader(HttpHeaders.RETRY_AFTER, OASFactory.createHeader()
                        .description("seconds to wait before trying again")
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))));
        components.setResponses(responses);
    }

    private static APIResponse problemResponse(String description) {
        return OASFactory.createAPIResponse().description(description).content(problemContent());
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)));
    }

    /** UUIDs are named by their format; the scanner's pattern only repeats it (and generators choke on it). */
    private static void identifiers(Components components) {
        Schema uuid = components.getSchemas() == null ? null : components.getSchemas().get("UUID");
        if (uuid != null) {
            uuid.setPattern(null);
            uuid.setExamples(null);
        }
    }

    private static String config(String key, String fallback) {
        return ConfigProvider.getConfig().getOptionalValue(key, String.class).filter(v -> !v.isBlank())
                .orElse(fallback);
    }
}

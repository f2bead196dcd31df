package dev.nanofleet.controlapi.openapi;

import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_ARG_LENGTH;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_ENV_KEY_LENGTH;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_ENV_VALUE_BYTES;
import static dev.nanofleet.controlapi.deployment.DeploymentRequestValidator.MAX_ENV_VARS;

import dev.nanofleet.controlapi.problem.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import jakarta.ws.rs.core.Response;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * What every operation of control-api's OpenAPI documents (the tenant API and the node API) shares, in one place, so
 * endpoints added later get it without annotations: the two ways to authenticate, the 401/403/429 problems any request
 * can meet, a description on every response, problem JSON on every error without a body of its own, the server, and
 * the request bounds an annotation cannot state (items and map keys, taken from {@code DeploymentRequestValidator}).
 *
 * <p>
 * Runs when the build writes the documents ({@code target/openapi}) and again at start-up, where the OpenID Connect
 * discovery URL becomes the configured issuer's ({@code quarkus.oidc.auth-server-url}); it is idempotent.
 */
@OpenApiFilter(stages = {OpenApiFilter.RunStage.BUILD, OpenApiFilter.RunStage.RUNTIME_STARTUP})
public class OpenApiContract implements OASFilter {

    /** The local platform's issuer and API (./fleet up): what the documents written by the build name. */
    static final String LOCAL_ISSUER = "http://127.0.0.1:18080/realms/nanofleet";
    static final String LOCAL_SERVER = "http://127.0.0.1:18081";

    static final String OIDC = "oidc";
    static final String BEARER = "bearer";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    /** Operations anyone may call. */
    private static final Set<String> ANONYMOUS = Set.of("enrollNode");

    // sorted maps throughout: the written document must be the same on every build (the portal's types are made from it)
    private static final Map<String, String> SHARED_PROBLEMS = new TreeMap<>(Map.of(
            "401", "Unauthorized",
            "403", "Forbidden",
            "429", "TooManyRequests"));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        securitySchemes(components);
        sharedProblems(components);
        identifiers(components);
        requestBounds(components);
        openAPI.setServers(List.of(OASFactory.createServer().url(config("nanofleet.openapi.server-url", LOCAL_SERVER))
                .description("control-api (the default names the local platform of ./fleet up)")));
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values()
                    .forEach(this::operation));
        }
        UsedSchemas.prune(openAPI);
        usedTags(openAPI);
    }

    /**
     * Each document lists the tags its operations use, without the scan-profile extension a class-level
     * {@code @Extension} also puts on the class's tag.
     */
    private static void usedTags(OpenAPI openAPI) {
        if (openAPI.getTags() == null) {
            return;
        }
        Set<String> used = new HashSet<>();
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values()
                    .forEach(op -> used.addAll(op.getTags() == null ? List.of() : op.getTags())));
        }
        openAPI.setTags(openAPI.getTags().stream().filter(tag -> used.contains(tag.getName())).peek(tag -> {
            if (tag.getExtensions() != null) {
                tag.getExtensions().keySet().stream().filter(k -> k.startsWith("x-smallrye-profile-")).toList()
                        .forEach(tag::removeExtension);
            }
        }).toList());
    }

    /**
     * A {@code $ref} stands for its target: the scanner's {@code type} beside it (an {@code object} next to a string
     * enum, for a required or described field) would contradict it.
     */
    @Override
    public Schema filterSchema(Schema schema) {
        if (schema.getRef() != null && schema.getType() != null) {
            schema.setType(null);
        }
        return schema;
    }

    private void operation(Operation operation) {
        // a new node's enrollment is the one call without a credential: its join token is in the body
        operation.setSecurity(ANONYMOUS.contains(operation.getOperationId())
                ? List.of()
                : List.of(OASFactory.createSecurityRequirement().addScheme(OIDC),
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
            if (code >= 400 && (response.getContent() == null || response.getContent().getMediaTypes().isEmpty())) {
                response.setContent(problemContent());
            }
        });
    }

    private static void securitySchemes(Components components) {
        String issuer = config("quarkus.oidc.auth-server-url", LOCAL_ISSUER).replaceAll("/+$", "");
        components.setSecuritySchemes(new TreeMap<>(Map.of(
                OIDC, OASFactory.createSecurityScheme().type(SecurityScheme.Type.OPENIDCONNECT)
                        .openIdConnectUrl(issuer + "/.well-known/openid-configuration")
                        .description("A Keycloak access token of the nanofleet realm (audience nanofleet-api)"),
                BEARER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("A Nanofleet API token (nfk_...), a node credential (nfn_..., the node API) or a"
                                + " Keycloak access token, as Authorization: Bearer <token>"))));
    }

    private static void sharedProblems(Components components) {
        components.setResponses(new TreeMap<>(Map.of(
                "Unauthorized", problemResponse("no token, or an invalid, expired or revoked one"
                        + " (WWW-Authenticate: Bearer)"),
                "Forbidden", problemResponse("the token may not do this: another role, a missing scope, another"
                        + " node, or a suspended tenant"),
                "TooManyRequests", problemResponse("too many requests; try again later"))));
    }

    private static APIResponse problemResponse(String description) {
        return OASFactory.createAPIResponse().description(description).content(problemContent());
    }

    private static org.eclipse.microprofile.openapi.models.media.Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)));
    }

    /** UUIDs are named by their format; the scanner's pattern only repeats it (and generators choke on it). */
    private static void identifiers(Components components) {
        Schema uuid = schemas(components).get("UUID");
        if (uuid != null) {
            uuid.setPattern(null);
            uuid.setExamples(null);
        }
    }

    /** What the validator checks of array items and map keys and values, which annotations cannot say. */
    private static void requestBounds(Components components) {
        Schema create = schemas(components).get("CreateDeployment");
        if (create == null || create.getProperties() == null) {
            return;
        }
        Optional.ofNullable(create.getProperties().get("command")).map(Schema::getItems)
                .ifPresent(item -> item.maxLength(MAX_ARG_LENGTH).pattern("^[^\\u0000]*$"));
        for (String variables : List.of("env", "secrets")) {
            Schema env = create.getProperties().get(variables);
            if (env == null) {
                continue;
            }
            env.maxProperties(MAX_ENV_VARS).propertyNames(OASFactory.createSchema()
                    .addType(Schema.SchemaType.STRING).pattern("^[A-Za-z_][A-Za-z0-9_]*$")
                    .maxLength(MAX_ENV_KEY_LENGTH));
            // the bound is in UTF-8 bytes; a schema counts characters, which is never fewer
            env.additionalPropertiesSchema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                    .maxLength(MAX_ENV_VALUE_BYTES).pattern("^[^\\u0000]*$")
                    .description("at most " + MAX_ENV_VALUE_BYTES + " bytes of UTF-8, without NUL"));
        }
    }

    private static Map<String, Schema> schemas(Components components) {
        return components.getSchemas() == null ? Map.of() : components.getSchemas();
    }

    private static String config(String key, String fallback) {
        return ConfigProvider.getConfig().getOptionalValue(key, String.class).filter(v -> !v.isBlank())
                .orElse(fallback);
    }
}

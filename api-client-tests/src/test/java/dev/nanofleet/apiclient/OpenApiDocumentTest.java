package dev.nanofleet.apiclient;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * What clients rely on in control-api's OpenAPI documents: they validate, every operation is named and tagged, request
 * schemas state what the server enforces (DeploymentRequestValidator, InstanceLogsService.query), responses say which
 * fields are always there, and every operation documents the problems any request can meet.
 */
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final JsonNode api = OpenApiDocuments.read(OpenApiDocuments.TENANT_API);
    private final JsonNode nodeApi = OpenApiDocuments.read(OpenApiDocuments.NODE_API);

    @Test
    void both_documents_validate_with_swagger_parser_without_a_message() {
        for (String file : List.of(OpenApiDocuments.TENANT_API, OpenApiDocuments.NODE_API)) {
            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            SwaggerParseResult result = new OpenAPIParser()
                    .readLocation(OpenApiDocuments.path(file).toUri().toString(), null, options);
            assertThat(result.getOpenAPI()).as(file).isNotNull();
            assertThat(result.getMessages()).as(file).isEmpty();
        }
    }

    @Test
    void every_operation_has_an_operation_id_a_client_reads_well_and_a_tag() {
        Map<String, String> ids = new TreeMap<>();
        for (Operation op : operations(api)) {
            assertThat(op.node().path("tags")).as(op.toString()).isNotEmpty();
            assertThat(op.node().path("operationId").asText()).as(op.toString()).isNotEmpty();
            ids.put(op.method() + " " + op.path(), op.node().path("operationId").asText());
        }
        assertThat(ids).containsAllEntriesOf(Map.of(
                "post /v1/deployments", "createDeployment",
                "get /v1/deployments", "listDeployments",
                "get /v1/deployments/{id}", "getDeployment",
                "patch /v1/deployments/{id}", "updateDeployment",
                "delete /v1/deployments/{id}", "deleteDeployment",
                "get /v1/instances/{id}/logs", "getInstanceLogs",
                "get /v1/nodes", "listNodes",
                "post /v1/nodes/{name}/cordon", "cordonNode",
                "post /v1/nodes/{name}/drain", "drainNode",
                "post /v1/nodes/{name}/uncordon", "uncordonNode"));
        assertThat(ids).containsEntry("get /v1/nodes/{name}", "getNode").containsEntry("get /v1/instances",
                "listFleetInstances");
        assertThat(ids.values()).doesNotHaveDuplicates();
        for (Operation op : operations(nodeApi)) {
            assertThat(op.node().path("operationId").asText()).as(op.toString()).isNotEmpty();
            assertThat(op.node().path("tags")).as(op.toString()).isNotEmpty();
        }
    }

    @Test
    void the_node_api_is_its_own_document_and_not_part_of_the_tenant_api() {
        assertThat(fieldNames(api.path("paths"))).isNotEmpty().noneMatch(p -> p.startsWith("/v1/node-api"));
        // what agents call: the node API, and the enrollment that gives a new node its credential
        assertThat(fieldNames(nodeApi.path("paths"))).isNotEmpty()
                .allMatch(p -> p.startsWith("/v1/node-api/") || p.equals("/v1/node-enrollments"));
        assertThat(fieldNames(api.path("paths"))).doesNotContain("/v1/node-enrollments").contains(
                "/v1/node-join-tokens", "/v1/node-join-tokens/{id}");
        assertThat(operation(nodeApi, "post", "/v1/node-enrollments").path("security")).isEmpty();
        assertThat(fieldNames(api.path("components").path("schemas"))).doesNotContain("AssignmentList",
                "NodeRegistration", "InstanceStatusReport", "UsageReport");
        assertThat(api.path("tags").findValuesAsText("name")).containsExactly("deployments", "events", "identity",
                "instances",
                "nodes", "tenants", "tokens");
        assertThat(nodeApi.path("tags").findValuesAsText("name")).containsExactly("node-api");
        assertThat(api.toString()).doesNotContain("x-smallrye-profile");
        assertThat(nodeApi.toString()).doesNotContain("x-smallrye-profile");
    }

    @Test
    void no_schema_is_duplicated_under_a_numbered_name() {
        for (JsonNode doc : List.of(api, nodeApi)) {
            assertThat(fieldNames(doc.path("components").path("schemas"))).noneMatch(n -> n.matches(".*\\d$"));
        }
    }

    @Test
    void a_reference_stands_alone_without_a_type_beside_it() {
        for (JsonNode doc : List.of(api, nodeApi)) {
            List<String> typed = new ArrayList<>();
            collectTypedReferences(doc, "#", typed);
            assertThat(typed).isEmpty();
        }
    }

    private static void collectTypedReferences(JsonNode node, String at, List<String> found) {
        if (node.has("$ref") && node.has("type")) {
            found.add(at);
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> collectTypedReferences(e.getValue(), at + "/" + e.getKey(), found));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectTypedReferences(node.get(i), at + "/" + i, found);
            }
        }
    }

    @Test
    void every_operation_documents_401_403_and_429_as_problems() {
        for (JsonNode doc : List.of(api, nodeApi)) {
            for (Operation op : operations(doc)) {
                for (String status : List.of("401", "403", "429")) {
                    JsonNode response = resolve(doc, op.node().path("responses").path(status));
                    assertThat(response.isMissingNode()).as(op + " " + status).isFalse();
                    assertThat(resolve(doc, response.path("content").path("application/problem+json").path("schema"))
                            .path("properties").has("status")).as(op + " " + status).isTrue();
                }
            }
        }
    }

    @Test
    void tokens_are_keycloak_access_tokens_named_by_openid_connect_discovery_or_api_tokens_as_bearer() {
        JsonNode schemes = api.path("components").path("securitySchemes");
        JsonNode oidc = schemes.path("oidc");
        assertThat(oidc.path("type").asText()).isEqualTo("openIdConnect");
        assertThat(oidc.path("openIdConnectUrl").asText()).startsWith("http")
                .endsWith("/realms/nanofleet/.well-known/openid-configuration");
        assertThat(schemes.path("bearer").path("type").asText()).isEqualTo("http");
        assertThat(schemes.path("bearer").path("scheme").asText()).isEqualTo("bearer");
        for (Operation op : operations(api)) {
            List<String> names = new ArrayList<>();
            op.node().path("security").forEach(requirement -> names.addAll(fieldNames(requirement)));
            assertThat(names).as(op.toString()).contains("oidc", "bearer");
        }
        assertThat(api.path("servers")).isNotEmpty();
        assertThat(api.path("servers").get(0).path("url").asText()).startsWith("http");
    }

    @Test
    void a_created_deployment_answers_201_with_its_location() {
        JsonNode created = operation(api, "post", "/v1/deployments").path("responses").path("201");
        assertThat(created.path("headers").path("Location").path("schema").path("format").asText()).isEqualTo("uri");
        assertThat(created.path("headers").path("Location").path("required").asBoolean()).isTrue();
        assertThat(resolve(api, created.path("content").path("application/json").path("schema")).path("properties")
                .has("instances")).isTrue();
    }

    @Test
    void ids_are_uuids_without_a_pattern() {
        for (String path : List.of("/v1/deployments/{id}", "/v1/instances/{id}/logs")) {
            JsonNode item = api.path("paths").path(path);
            for (String method : fieldNames(item)) {
                for (JsonNode parameter : item.path(method).path("parameters")) {
                    if (parameter.path("name").asText().equals("id")) {
                        JsonNode schema = resolve(api, parameter.path("schema"));
                        assertThat(schema.path("format").asText()).as(method + " " + path).isEqualTo("uuid");
                        assertThat(schema.has("pattern")).as(method + " " + path).isFalse();
                    }
                }
            }
        }
        JsonNode id = resolve(api, schema(api, "DeploymentView").path("properties").path("id"));
        assertThat(id.path("format").asText()).isEqualTo("uuid");
        assertThat(id.has("pattern")).isFalse();
    }

    @Test
    void enums_are_spelled_as_the_api_writes_and_reads_them() {
        // isolation, restart mode: lower case on the wire (RequestedIsolation, RestartMode, DeploymentView.json)
        assertThat(enumOf(property("CreateDeployment", "isolation"))).containsExactly("auto", "hardware", "shared");
        assertThat(enumOf(property("RestartPolicy", "mode"))).containsExactly("never", "on-failure", "always");
        assertThat(enumOf(property("RestartPolicyView", "mode"))).containsExactly("never", "on-failure", "always");
        assertThat(enumOf(property("DeploymentView", "isolation"))).containsExactly("hardware", "shared");
        assertThat(enumOf(property("InstanceView", "isolation"))).containsExactly("hardware", "shared");
        assertThat(enumOf(resolve(api, property("NodeView", "isolations").path("items")))).containsExactly("hardware",
                "shared");
        // states: lower case too (EnumNames.json), while the node API keeps the Java names agents read
        assertThat(enumOf(property("InstanceView", "state"))).containsExactly("pending", "unschedulable", "scheduled",
                "pulling", "starting", "running", "restarting", "stopping", "stopped", "exited", "failed");
        assertThat(enumOf(property("InstanceView", "desiredState"))).containsExactly("running", "stopped", "ended");
        assertThat(enumOf(property("FleetInstance", "state"))).containsExactly("pending", "unschedulable",
                "scheduled", "pulling", "starting", "running", "restarting", "stopping", "stopped", "exited", "failed");
        assertThat(enumOf(property("FleetInstance", "isolation"))).containsExactly("hardware", "shared");
        assertThat(enumOf(property("NodeView", "state"))).containsExactly("ready", "not-ready", "lost");
        assertThat(enumOf(property("NodeView", "scheduling"))).containsExactly("schedulable", "cordoned",
                "draining");
        JsonNode registered = schema(nodeApi, "RegistrationAnswer").path("properties");
        assertThat(enumOf(resolve(nodeApi, registered.path("state")))).containsExactly("READY", "NOT_READY", "LOST");
        assertThat(enumOf(resolve(nodeApi, registered.path("scheduling")))).containsExactly("SCHEDULABLE",
                "CORDONED", "DRAINING");
        assertThat(enumOf(schema(nodeApi, "DesiredState"))).containsExactly("RUNNING", "STOPPED", "ENDED");
        assertThat(enumOf(schema(nodeApi, "InstanceState"))).contains("PENDING", "RUNNING", "FAILED");
    }

    @Test
    void every_enum_of_the_tenant_api_is_spelled_in_lower_case() {
        Map<String, List<String>> enums = new TreeMap<>();
        collectEnums(api, "#", enums);
        assertThat(enums).isNotEmpty();
        // QuotaUse.resource names the Quota fields it counts (cpuMillis, memoryMiB), spelled as those fields are
        enums.remove("#/components/schemas/QuotaUse/properties/resource");
        assertThat(enums).allSatisfy((at, values) -> assertThat(values).as(at)
                .allMatch(v -> v.matches("[a-z0-9]+(-[a-z0-9]+)*")));
    }

    private static void collectEnums(JsonNode node, String at, Map<String, List<String>> found) {
        if (node.has("enum")) {
            found.put(at, texts(node.path("enum")));
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> collectEnums(e.getValue(), at + "/" + e.getKey(), found));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectEnums(node.get(i), at + "/" + i, found);
            }
        }
    }

    @Test
    void the_create_request_states_the_bounds_the_server_enforces() {
        JsonNode create = schema(api, "CreateDeployment");
        assertThat(texts(create.path("required"))).containsExactlyInAnyOrder("name", "image", "replicas",
                "resources");
        JsonNode name = property("CreateDeployment", "name");
        assertThat(name.path("pattern").asText()).isEqualTo("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
        assertThat(name.path("maxLength").asInt()).isEqualTo(63);
        assertThat(property("CreateDeployment", "image").path("maxLength").asInt()).isEqualTo(512);
        assertThat(property("CreateDeployment", "replicas").path("minimum").asInt()).isEqualTo(1);
        assertThat(property("CreateDeployment", "replicas").path("maximum").asInt()).isEqualTo(50);
        JsonNode command = property("CreateDeployment", "command");
        assertThat(command.path("minItems").asInt()).isEqualTo(1);
        assertThat(command.path("maxItems").asInt()).isEqualTo(64);
        assertThat(command.path("items").path("maxLength").asInt()).isEqualTo(4096);
        for (String variables : List.of("env", "secrets")) {
            JsonNode env = property("CreateDeployment", variables);
            assertThat(env.path("maxProperties").asInt()).as(variables).isEqualTo(128);
            assertThat(env.path("propertyNames").path("pattern").asText()).as(variables)
                    .isEqualTo("^[A-Za-z_][A-Za-z0-9_]*$");
            assertThat(env.path("propertyNames").path("maxLength").asInt()).as(variables).isEqualTo(256);
        }
        JsonNode ports = property("CreateDeployment", "ports");
        assertThat(ports.path("maxItems").asInt()).isEqualTo(16);
        assertThat(ports.path("uniqueItems").asBoolean()).isTrue();
        JsonNode port = schema(api, "Port");
        assertThat(texts(port.path("required"))).containsExactly("containerPort");
        assertThat(port.path("properties").path("containerPort").path("maximum").asInt()).isEqualTo(65535);

        JsonNode resources = schema(api, "Resources");
        assertThat(texts(resources.path("required"))).containsExactlyInAnyOrder("cpuMillis", "memoryMiB");
        assertThat(resources.path("properties").path("cpuMillis").path("minimum").asInt()).isEqualTo(50);
        assertThat(resources.path("properties").path("cpuMillis").path("maximum").asInt()).isEqualTo(16000);
        assertThat(resources.path("properties").path("memoryMiB").path("minimum").asInt()).isEqualTo(32);
        assertThat(resources.path("properties").path("memoryMiB").path("maximum").asInt()).isEqualTo(65536);

        JsonNode policy = schema(api, "RestartPolicy");
        assertThat(policy.path("properties").path("maxRetries").path("maximum").asInt()).isEqualTo(100);

        JsonNode login = schema(api, "ImageCredentials");
        assertThat(texts(login.path("required"))).containsExactlyInAnyOrder("username", "password");
        assertThat(login.path("properties").path("username").path("minLength").asInt()).isEqualTo(1);
        assertThat(login.path("properties").path("username").path("maxLength").asInt()).isEqualTo(256);
        assertThat(login.path("properties").path("username").path("pattern").asText()).startsWith("^[^:\\u0000-");
        assertThat(login.path("properties").path("password").path("minLength").asInt()).isEqualTo(1);
        assertThat(login.path("properties").path("password").path("maxLength").asInt()).isEqualTo(4096);

        JsonNode scale = resolve(api, operation(api, "patch", "/v1/deployments/{id}").path("requestBody")
                .path("content").path("application/json").path("schema"));
        // every field of an update is optional: what is left out stays as it is
        assertThat(texts(scale.path("required"))).isEmpty();
        assertThat(scale.path("properties").path("replicas").path("minimum").asInt()).isEqualTo(1);
        assertThat(scale.path("properties").path("replicas").path("maximum").asInt()).isEqualTo(50);
    }

    @Test
    void fields_every_answer_has_are_required() {
        assertThat(texts(schema(api, "DeploymentView").path("required"))).containsExactlyInAnyOrder("id", "name",
                "image", "replicas", "resources", "isolation", "secretNames", "restartPolicy", "ports", "createdAt",
                "egress", "revision", "rolloutPolicy", "instances");
        assertThat(texts(schema(api, "InstanceView").path("required"))).containsExactlyInAnyOrder("id", "ordinal",
                "node", "isolation", "state", "desiredState", "reason", "exitCode", "restarts", "network", "usage",
                "updatedAt", "revision", "health", "healthReason");
        assertThat(texts(schema(api, "NodeView").path("required"))).contains("name", "allocatable", "isolations",
                "state", "scheduling");
        assertThat(texts(schema(api, "Problem").path("required"))).containsExactlyInAnyOrder("type", "title",
                "status");
    }

    @Test
    void logs_are_typed_text_with_a_bounded_tail_and_a_boolean_follow() {
        for (String path : List.of("/v1/instances/{id}/logs", "/v1/nodes/{name}/logs")) {
            JsonNode logs = operation(api, "get", path);
            Map<String, JsonNode> parameters = new TreeMap<>();
            logs.path("parameters")
                    .forEach(p -> parameters.put(p.path("name").asText(), resolve(api, p.path("schema"))));
            assertThat(parameters.get("follow").path("type").asText()).as(path).isEqualTo("boolean");
            assertThat(parameters.get("follow").path("default").asBoolean(true)).as(path).isFalse();
            assertThat(parameters.get("tail").path("type").asText()).as(path).isEqualTo("integer");
            assertThat(parameters.get("tail").path("minimum").asInt()).as(path).isEqualTo(1);
            assertThat(parameters.get("tail").path("maximum").asInt()).as(path).isEqualTo(10000);
            assertThat(parameters.get("tail").path("default").asInt()).as(path).isEqualTo(100);
            JsonNode text = logs.path("responses").path("200").path("content").path("text/plain").path("schema");
            assertThat(text.path("type").asText()).as(path).isEqualTo("string");
        }
        JsonNode source = null;
        for (JsonNode p : operation(api, "get", "/v1/nodes/{name}/logs").path("parameters")) {
            if (p.path("name").asText().equals("source")) {
                source = resolve(api, p.path("schema"));
            }
        }
        assertThat(source).as("the source of a node's logs").isNotNull();
        assertThat(enumOf(source)).containsExactly("agent", "kernel");
        assertThat(source.path("default").asText()).isEqualTo("agent");
    }

    private JsonNode property(String schema, String property) {
        JsonNode node = schema(api, schema).path("properties").path(property);
        assertThat(node.isMissingNode()).as(schema + "." + property).isFalse();
        return resolve(api, node);
    }

    private static List<String> enumOf(JsonNode schema) {
        return texts(schema.path("enum"));
    }

    static JsonNode schema(JsonNode doc, String name) {
        JsonNode schema = doc.path("components").path("schemas").path(name);
        assertThat(schema.isMissingNode()).as("schema " + name).isFalse();
        return schema;
    }

    /** Follows a {@code $ref} (also a lone one inside {@code allOf}) to what it names. */
    static JsonNode resolve(JsonNode doc, JsonNode node) {
        if (node.has("$ref")) {
            String[] parts = node.path("$ref").asText().substring(2).split("/");
            JsonNode target = doc;
            for (String part : parts) {
                target = target.path(part);
            }
            return resolve(doc, target);
        }
        if (node.path("allOf").size() == 1) {
            return resolve(doc, node.path("allOf").get(0));
        }
        return node;
    }

    private static JsonNode operation(JsonNode doc, String method, String path) {
        JsonNode op = doc.path("paths").path(path).path(method);
        assertThat(op.isMissingNode()).as(method + " " + path).isFalse();
        return op;
    }

    record Operation(String method, String path, JsonNode node) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static List<Operation> operations(JsonNode doc) {
        List<Operation> ops = new ArrayList<>();
        for (String path : fieldNames(doc.path("paths"))) {
            for (String method : fieldNames(doc.path("paths").path(path))) {
                if (METHODS.contains(method)) {
                    ops.add(new Operation(method, path, doc.path("paths").path(path).path(method)));
                }
            }
        }
        return ops;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}

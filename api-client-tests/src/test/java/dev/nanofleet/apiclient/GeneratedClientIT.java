package dev.nanofleet.apiclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.client.ApiClient;
import dev.nanofleet.client.ApiException;
import dev.nanofleet.client.ApiResponse;
import dev.nanofleet.client.api.DeploymentsApi;
import dev.nanofleet.client.api.InstancesApi;
import dev.nanofleet.client.api.NodesApi;
import dev.nanofleet.client.model.CreateDeployment;
import dev.nanofleet.client.model.CreateNodeJoinToken;
import dev.nanofleet.client.model.CreatedNodeJoinToken;
import dev.nanofleet.client.model.DeploymentView;
import dev.nanofleet.client.model.InstanceView;
import dev.nanofleet.client.model.Isolation;
import dev.nanofleet.client.model.NodeView;
import dev.nanofleet.client.model.Port;
import dev.nanofleet.client.model.Problem;
import dev.nanofleet.client.model.RequestedIsolation;
import dev.nanofleet.client.model.Resources;
import dev.nanofleet.client.model.RestartMode;
import dev.nanofleet.client.model.RestartPolicy;
import dev.nanofleet.client.model.UpdateDeployment;
import dev.nanofleet.testsupport.KafkaBroker;
import dev.nanofleet.testsupport.KeycloakServer;
import dev.nanofleet.testsupport.ManagedProcess;
import dev.nanofleet.testsupport.Ports;
import dev.nanofleet.testsupport.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java client generated from control-api's OpenAPI document (no hand edits) against a real control-api: the
 * packaged {@code quarkus-app}, started on a free port with the shared PostgreSQL, Kafka and Keycloak of test-support.
 * No scheduler or node agent runs here, so replicas stay {@code pending}: the client creates, reads, lists, scales and
 * deletes, and decodes problems; a replica's logs answer 409 until a node runs it.
 */
class GeneratedClientIT {

    private static ManagedProcess controlApi;
    private static String baseUri;
    private static KeycloakServer keycloak;

    @BeforeAll
    static void start_control_api() throws Exception {
        Path app = Path.of(System.getProperty("nanofleet.control-api.app",
                "../control-api/target/quarkus-app/quarkus-run.jar"));
        assertThat(app).as("control-api is packaged (./fleet mvn -pl control-api -am install -DskipTests)")
                .isRegularFile();
        PostgresServer postgres = PostgresServer.shared();
        String jdbcUrl = postgres.createDatabase("apiclient_" + ProcessHandle.current().pid());
        String kafka = KafkaBroker.shared().bootstrapServers();
        keycloak = KeycloakServer.shared();
        int port = Ports.free();
        baseUri = "http://127.0.0.1:" + port;
        controlApi = ManagedProcess.builder("control-api", javaBin(), "-Xmx256m", "-jar", app.toString())
                .log(Files.createTempFile("api-client-tests-control-api-", ".log"))
                .env("QUARKUS_HTTP_PORT", Integer.toString(port)).env("QUARKUS_HTTP_HOST", "127.0.0.1")
                .env("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl)
                .env("QUARKUS_DATASOURCE_USERNAME", postgres.username())
                .env("QUARKUS_DATASOURCE_PASSWORD", postgres.password())
                .env("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.issuer())
                .env("KAFKA_BOOTSTRAP_SERVERS", kafka)
                .env("NANOFLEET_CONTROL_API_SECRETS_KEY", randomKey())
                .env("NANOFLEET_LOGS_SIGNING_KEY", randomKey())
                .env("NANOFLEET_KEYCLOAK_ADMIN_CLIENT_SECRET", "control-api-secret")
                .start();
        controlApi.awaitHttp200(URI.create(baseUri + "/q/health/ready"), Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop_control_api() {
        if (controlApi != null) {
            controlApi.stop();
        }
    }

    @Test
    void a_tenant_creates_reads_lists_scales_and_deletes_a_deployment_with_the_generated_client() throws Exception {
        DeploymentsApi deployments = new DeploymentsApi(client(token("bob")));
        String name = "client-" + UUID.randomUUID().toString().substring(0, 8);
        CreateDeployment request = new CreateDeployment().name(name).image("registry.example:5000/demo/hello:1")
                .replicas(2).resources(new Resources().cpuMillis(250).memoryMiB(64))
                .isolation(RequestedIsolation.AUTO).command(List.of("httpd", "-f")).env(Map.of("GREETING", "hi"))
                .restartPolicy(new RestartPolicy().mode(RestartMode.ALWAYS).maxRetries(3))
                .ports(Set.of(new Port().containerPort(8080)));

        String key = UUID.randomUUID().toString();
        ApiResponse<DeploymentView> created = deployments.createDeploymentWithHttpInfo(request, key);
        assertThat(created.getStatusCode()).isEqualTo(201);
        // a retry with the same Idempotency-Key answers the first create
        assertThat(deployments.createDeployment(request, key).getId()).isEqualTo(created.getData().getId());
        DeploymentView deployment = created.getData();
        assertThat(created.getHeaders().get("location")).singleElement().asString()
                .endsWith("/v1/deployments/" + deployment.getId());
        // bob is trusted: auto means shared; the enums decode as the document spells them
        assertThat(deployment.getIsolation()).isEqualTo(Isolation.SHARED);
        assertThat(deployment.getRestartPolicy().getMode()).isEqualTo(RestartMode.ALWAYS);
        assertThat(deployment.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort())
                .isEqualTo(8080));
        assertThat(deployment.getSecretNames()).isEmpty();
        // its replicas exist at once, waiting for the scheduler
        assertThat(deployment.getInstances()).hasSize(2).allSatisfy(instance -> {
            assertThat(instance.getState()).isEqualTo(InstanceView.StateEnum.PENDING);
            assertThat(instance.getDesiredState()).isEqualTo(InstanceView.DesiredStateEnum.RUNNING);
            assertThat(instance.getNode()).isNull();
            assertThat(instance.getIsolation()).isNull();
        });

        DeploymentView read = deployments.getDeployment(deployment.getId());
        assertThat(read.getName()).isEqualTo(name);
        assertThat(read.getResources().getMemoryMiB()).isEqualTo(64);
        assertThat(deployments.listDeployments(null, 500, name, "active")).extracting(DeploymentView::getId)
                .containsExactly(deployment.getId());

        DeploymentView scaled = deployments.updateDeployment(deployment.getId(), new UpdateDeployment().replicas(3),
                null);
        assertThat(scaled.getReplicas()).isEqualTo(3);
        assertThat(scaled.getInstances()).hasSize(3);
        DeploymentView down = deployments.updateDeployment(deployment.getId(), new UpdateDeployment().replicas(1),
                null);
        assertThat(down.getInstances()).filteredOn(i -> i.getDesiredState() == InstanceView.DesiredStateEnum.RUNNING)
                .hasSize(1);
        assertThat(down.getInstances()).filteredOn(i -> i.getDesiredState() == InstanceView.DesiredStateEnum.STOPPED)
                .hasSize(2)
                .allSatisfy(i -> assertThat(i.getState()).isEqualTo(InstanceView.StateEnum.STOPPED));

        // a replica no node runs has no output yet: 409, a problem the client decodes
        InstanceView running = down.getInstances().stream()
                .filter(i -> i.getDesiredState() == InstanceView.DesiredStateEnum.RUNNING).findFirst().orElseThrow();
        ApiException noLogs = catchThrowableOfType(ApiException.class,
                () -> new InstancesApi(client(token("bob"))).getInstanceLogs(running.getId(), false, 10));
        assertThat(noLogs.getCode()).isEqualTo(409);
        assertThat(problem(noLogs).getStatus()).isEqualTo(409);

        ApiResponse<DeploymentView> deleted = deployments.deleteDeploymentWithHttpInfo(deployment.getId());
        assertThat(deleted.getStatusCode()).isEqualTo(202);
        assertThat(deleted.getData().getDeletedAt()).isNotNull();
        assertThat(deleted.getData().getInstances()).allSatisfy(i -> assertThat(i.getDesiredState())
                .isEqualTo(InstanceView.DesiredStateEnum.STOPPED));
    }

    @Test
    void errors_reach_the_client_as_problems_naming_the_field() throws Exception {
        DeploymentsApi deployments = new DeploymentsApi(client(token("bob")));
        DeploymentView deployment = deployments.createDeployment(new CreateDeployment()
                .name("client-" + UUID.randomUUID().toString().substring(0, 8))
                .image("registry.example:5000/demo/hello:1").replicas(1)
                .resources(new Resources().cpuMillis(250).memoryMiB(64)), null);

        ApiException invalid = catchThrowableOfType(ApiException.class,
                () -> deployments.updateDeployment(deployment.getId(), new UpdateDeployment().replicas(51), null));
        assertThat(invalid.getCode()).isEqualTo(400);
        Problem problem = problem(invalid);
        assertThat(problem.getType()).hasToString("urn:nanofleet:problem:validation");
        assertThat(problem.getErrors()).singleElement().satisfies(e -> assertThat(e.getField()).isEqualTo("replicas"));

        // another tenant's deployment does not exist for alice
        ApiException foreign = catchThrowableOfType(ApiException.class,
                () -> new DeploymentsApi(client(token("alice"))).getDeployment(deployment.getId()));
        assertThat(foreign.getCode()).isEqualTo(404);
        assertThat(problem(foreign).getType()).hasToString("urn:nanofleet:problem:not-found");

        // no token: the shared 401 problem
        ApiException anonymous = catchThrowableOfType(ApiException.class,
                () -> new DeploymentsApi(client(null)).listDeployments(null, null, null, null));
        assertThat(anonymous.getCode()).isEqualTo(401);
        assertThat(problem(anonymous).getStatus()).isEqualTo(401);

        // a tenant is not an operator: the shared 403 problem
        ApiException forbidden = catchThrowableOfType(ApiException.class,
                () -> new NodesApi(client(token("bob"))).listNodes());
        assertThat(forbidden.getCode()).isEqualTo(403);
        assertThat(problem(forbidden).getStatus()).isEqualTo(403);

        deployments.deleteDeployment(deployment.getId());
    }

    @Test
    void an_operator_lists_cordons_and_uncordons_a_node_and_an_unknown_node_is_a_404_problem() throws Exception {
        // ops makes a join token with the generated client; the node API is not in the tenant document: the node
        // enrolls and registers with plain HTTP, and its answer keeps the upper-case names agents read
        NodesApi nodes = new NodesApi(client(token("ops")));
        CreatedNodeJoinToken joinToken = nodes.createNodeJoinToken(new CreateNodeJoinToken().uses(1).ttlSeconds(600));
        assertThat(joinToken.getSecret()).startsWith("nfj_");
        HttpResponse<String> enrolled = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUri
                + "/v1/node-enrollments")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"joinToken\": \"" + joinToken.getSecret()
                        + "\", \"name\": \"test-a\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(201);
        String credential = new ObjectMapper().readTree(enrolled.body()).path("credential").asText();
        HttpResponse<String> registered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUri
                + "/v1/node-api/nodes/test-a/registration"))
                .header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"allocatable": {"cpuMillis": 4000, "memoryMiB": 8192}, "isolations": ["HARDWARE", "SHARED"],
                         "labels": {}, "agentVersion": "0.1.0"}""")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(registered.body()).path("state").asText()).isEqualTo("READY");

        assertThat(nodes.listNodes()).filteredOn(n -> n.getName().equals("test-a")).singleElement()
                .satisfies(n -> {
                    assertThat(n.getState()).isEqualTo(NodeView.StateEnum.READY);
                    assertThat(n.getScheduling()).isEqualTo(NodeView.SchedulingEnum.SCHEDULABLE);
                });
        assertThat(nodes.cordonNode("test-a").getScheduling()).isEqualTo(NodeView.SchedulingEnum.CORDONED);
        assertThat(nodes.uncordonNode("test-a").getScheduling()).isEqualTo(NodeView.SchedulingEnum.SCHEDULABLE);
        ApiException unknown = catchThrowableOfType(ApiException.class, () -> nodes.cordonNode("no-such-node"));
        assertThat(unknown.getCode()).isEqualTo(404);
        assertThat(problem(unknown).getType()).hasToString("urn:nanofleet:problem:not-found");
    }

    @Test
    void the_served_documents_name_the_configured_issuer_and_the_reference_page_is_served() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        JsonNode api = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
                URI.create(baseUri + "/q/openapi?format=json")).build(), HttpResponse.BodyHandlers.ofString())
                .body());
        assertThat(api.path("components").path("securitySchemes").path("oidc").path("openIdConnectUrl").asText())
                .isEqualTo(keycloak.issuer() + "/.well-known/openid-configuration");
        assertThat(api.path("paths").has("/v1/deployments")).isTrue();
        assertThat(api.path("paths").has("/v1/node-api/nodes/{node}/registration")).isFalse();

        JsonNode nodeApi = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
                URI.create(baseUri + "/q/openapi-node-api?format=json")).build(), HttpResponse.BodyHandlers
                        .ofString())
                .body());
        assertThat(nodeApi.path("paths").has("/v1/node-api/nodes/{node}/registration")).isTrue();
        assertThat(nodeApi.path("paths").has("/v1/deployments")).isFalse();

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(baseUri + "/q/swagger-ui/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Nanofleet API reference");
    }

    private static ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUri);
        if (token != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        }
        return client;
    }

    private static Problem problem(ApiException e) throws Exception {
        assertThat(e.getResponseHeaders().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        return new ApiClient().getObjectMapper().readValue(e.getResponseBody(), Problem.class);
    }

    private static String token(String user) {
        return keycloak.passwordToken(user, "nanofleet");
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

package dev.nanofleet.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What `helm template` makes of the chart's values: the core resources and how each value shows in them. */
class ChartRenderTest {

    private static final String CONTROL_API = "nf-nanofleet-control-api";
    private static final String SCHEDULER = "nf-nanofleet-scheduler";
    private static final String BILLING = "nf-nanofleet-tenant-billing";
    private static final String WEB_UI = "nf-nanofleet-web-ui";
    private static final List<String> SERVICES = List.of(CONTROL_API, SCHEDULER, BILLING, WEB_UI);

    /** Environment variables whose values are secrets: each must come from a Secret. */
    private static final Set<String> SECRET_ENV = Set.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
            "NANOFLEET_CONTROL_API_SECRETS_KEY", "NANOFLEET_LOGS_SIGNING_KEY",
            "NANOFLEET_KEYCLOAK_ADMIN_CLIENT_SECRET");

    private static final String SEALING_KEY = Base64.getEncoder()
            .encodeToString("a-sealing-key-of-32-bytes-length".getBytes());
    private static final String SIGNING_KEY = Base64.getEncoder()
            .encodeToString("a-signing-seed-of-32-bytes-long!".getBytes());

    private final Chart chart = Chart.ofThisCheckout();

    @Test
    void default_values_render_only_the_core_resources() {
        Chart.Rendered rendered = chart.render();

        // the chart-made Secret is a pre-install hook, which helm-java's template leaves out (helm template prints it)
        assertThat(rendered.kinds()).containsExactly("Deployment", "PodDisruptionBudget", "Service", "ServiceAccount");
        assertThat(rendered.ofKind("Deployment")).extracting(d -> d.at("/metadata/name").asText())
                .containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(rendered.ofKind("Service")).hasSize(4);
    }

    @Test
    void every_service_runs_the_number_of_replicas_it_is_given() {
        Chart.Rendered rendered = chart.render(Map.of("controlApi.replicas", 5, "scheduler.replicas", 4,
                "tenantBilling.replicas", 3, "webUi.replicas", 6));

        assertThat(rendered.one("Deployment", CONTROL_API).at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(rendered.one("Deployment", SCHEDULER).at("/spec/replicas").asInt()).isEqualTo(4);
        assertThat(rendered.one("Deployment", BILLING).at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(rendered.one("Deployment", WEB_UI).at("/spec/replicas").asInt()).isEqualTo(6);
    }

    @Test
    void a_service_with_several_replicas_gets_a_disruption_budget_and_one_with_a_single_replica_none() {
        Chart.Rendered rendered = chart.render(Map.of("scheduler.replicas", 1, "controlApi.replicas", 4,
                "controlApi.pdb.maxUnavailable", 2));

        JsonNode budget = rendered.one("PodDisruptionBudget", CONTROL_API);
        assertThat(budget.at("/spec/maxUnavailable").asInt()).isEqualTo(2);
        assertThat(budget.at("/spec/selector/matchLabels"))
                .isEqualTo(rendered.one("Deployment", CONTROL_API).at("/spec/template/metadata/labels"));
        assertThat(rendered.ofKind("PodDisruptionBudget")).extracting(p -> p.at("/metadata/name").asText())
                .doesNotContain(SCHEDULER)
                .contains(BILLING, WEB_UI);
    }

    @Test
    void a_disabled_service_renders_nothing() {
        Chart.Rendered rendered = chart.render(Map.of("tenantBilling.enabled", false));

        assertThat(rendered.kindsAndNames()).noneMatch(n -> n.endsWith(BILLING));
    }

    @Test
    void secrets_are_referenced_from_kubernetes_secrets_and_never_written_into_a_deployment() {
        Chart.Rendered rendered = chart.render(Map.of("secrets.generateAtInstall", false,
                "secrets.controlApiSecretsKey", SEALING_KEY, "secrets.logsSigningKey", SIGNING_KEY,
                "secrets.keycloakAdminClientSecret", "kc-client-secret-value"));

        for (String service : SERVICES) {
            rendered.env(service).forEach((name, variable) -> {
                if (SECRET_ENV.contains(name)) {
                    assertThat(variable.has("value")).as(service + " " + name).isFalse();
                    assertThat(variable.at("/valueFrom/secretKeyRef/name").asText()).as(service + " " + name)
                            .isNotEmpty();
                }
            });
        }
        String workloads = rendered.ofKind("Deployment").toString();
        assertThat(workloads).doesNotContain(SEALING_KEY, SIGNING_KEY, "kc-client-secret-value");
        assertThat(rendered.env(CONTROL_API)).containsKeys("NANOFLEET_CONTROL_API_SECRETS_KEY",
                "NANOFLEET_LOGS_SIGNING_KEY", "NANOFLEET_KEYCLOAK_ADMIN_CLIENT_SECRET");
        assertThat(rendered.env(SCHEDULER)).doesNotContainKey("NANOFLEET_CONTROL_API_SECRETS_KEY");
        assertThat(rendered.env(WEB_UI).keySet()).doesNotContainAnyElementsOf(SECRET_ENV);
    }

    @Test
    void the_chart_made_secret_holds_the_given_keys_under_the_names_the_deployment_reads() {
        Chart.Rendered rendered = chart.render(Map.of("secrets.generateAtInstall", false,
                "secrets.controlApiSecretsKey", SEALING_KEY, "secrets.logsSigningKey", SIGNING_KEY,
                "secrets.keycloakAdminClientSecret", "kc-client-secret-value"));

        JsonNode secret = rendered.one("Secret", "nf-nanofleet-secrets");
        JsonNode reference = rendered.env(CONTROL_API).get("NANOFLEET_CONTROL_API_SECRETS_KEY")
                .at("/valueFrom/secretKeyRef");
        assertThat(reference.path("name").asText()).isEqualTo("nf-nanofleet-secrets");
        String stored = secret.at("/data").path(reference.path("key").asText()).asText();
        assertThat(new String(Base64.getDecoder().decode(stored))).isEqualTo(SEALING_KEY);
        assertThat(secret.at("/metadata/annotations").has("helm.sh/hook")).isFalse();
    }

    @Test
    void without_generation_at_install_a_missing_key_stops_rendering_naming_the_value() {
        assertThatThrownBy(() -> chart.render(Map.of("secrets.generateAtInstall", false)))
                .hasMessageContaining("secrets.controlApiSecretsKey is required");
    }

    @Test
    void an_existing_secret_is_used_and_the_chart_makes_none() {
        Chart.Rendered rendered = chart.render(Map.of("secrets.existingSecret", "ops-keys",
                "postgresql.external.existingSecret", "ops-db"));

        assertThat(rendered.ofKind("Secret")).isEmpty();
        assertThat(rendered.env(CONTROL_API).get("NANOFLEET_CONTROL_API_SECRETS_KEY")
                .at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("ops-keys");
        assertThat(rendered.env(BILLING).get("QUARKUS_DATASOURCE_PASSWORD").at("/valueFrom/secretKeyRef/name")
                .asText()).isEqualTo("ops-db");
    }

    @Test
    void images_are_registry_slash_nanofleet_slash_service_with_a_tag_or_a_digest() {
        String digest = "sha256:" + "ab".repeat(32);
        Chart.Rendered tagged = chart.render(Map.of("image.registry", "registry.example:5000", "image.tag", "1.2.3",
                "scheduler.image.tag", "1.2.4"));
        Chart.Rendered pinned = chart.render(Map.of("image.registry", "registry.example:5000", "image.digest", digest));

        assertThat(image(tagged, CONTROL_API)).isEqualTo("registry.example:5000/nanofleet/control-api:1.2.3");
        assertThat(image(tagged, SCHEDULER)).isEqualTo("registry.example:5000/nanofleet/scheduler:1.2.4");
        assertThat(image(chart.render(), WEB_UI)).isEqualTo("localhost:5000/nanofleet/web-ui:0.1.0-SNAPSHOT");
        assertThat(image(pinned, BILLING)).isEqualTo("registry.example:5000/nanofleet/tenant-billing@" + digest);
    }

    @Test
    void probes_ask_quarkus_health_on_the_port_each_service_listens_on() {
        Chart.Rendered rendered = chart.render();
        Map<String, Integer> ports = Map.of(CONTROL_API, 8080, SCHEDULER, 8080, BILLING, 8084, WEB_UI, 8085);

        ports.forEach((service, port) -> {
            JsonNode container = container(rendered, service);
            assertThat(container.at("/ports/0/containerPort").asInt()).as(service).isEqualTo(port);
            assertThat(rendered.env(service).get("QUARKUS_HTTP_PORT").path("value").asText()).isEqualTo("" + port);
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
            assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
            assertThat(rendered.one("Service", service).at("/spec/ports/0/port").asInt()).isEqualTo(port);
        });
    }

    @Test
    void pods_run_as_non_root_on_a_read_only_root_file_system_with_a_writable_tmp_and_bounded_resources() {
        Chart.Rendered rendered = chart.render();

        for (String service : SERVICES) {
            JsonNode pod = rendered.one("Deployment", service).at("/spec/template/spec");
            JsonNode container = container(rendered, service);
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(service).isTrue();
            assertThat(pod.at("/automountServiceAccountToken").asBoolean(true)).isFalse();
            assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(container.at("/securityContext/capabilities/drop").toString()).contains("ALL");
            assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
            assertThat(pod.at("/volumes/0/emptyDir").isObject()).isTrue();
            assertThat(container.at("/resources/requests/memory").asText()).isNotEmpty();
            assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
        }
    }

    @Test
    void each_service_gets_its_own_database_and_the_shared_kafka_and_token_issuer() {
        Chart.Rendered rendered = chart.render(Map.of("postgresql.external.host", "pg.db.svc",
                "postgresql.external.parameters", "sslmode=require", "kafka.external.bootstrapServers",
                "k1:9092,k2:9092", "keycloak.external.url", "https://sso.example/"));

        assertThat(value(rendered, CONTROL_API, "QUARKUS_DATASOURCE_JDBC_URL"))
                .isEqualTo("jdbc:postgresql://pg.db.svc:5432/controlapi?sslmode=require");
        assertThat(value(rendered, SCHEDULER, "QUARKUS_DATASOURCE_JDBC_URL"))
                .isEqualTo("jdbc:postgresql://pg.db.svc:5432/scheduler?sslmode=require");
        assertThat(value(rendered, BILLING, "QUARKUS_DATASOURCE_JDBC_URL"))
                .isEqualTo("jdbc:postgresql://pg.db.svc:5432/billing?sslmode=require");
        for (String service : List.of(CONTROL_API, SCHEDULER, BILLING)) {
            assertThat(value(rendered, service, "KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("k1:9092,k2:9092");
            assertThat(value(rendered, service, "QUARKUS_OIDC_AUTH_SERVER_URL"))
                    .isEqualTo("https://sso.example/realms/nanofleet");
        }
        assertThat(value(rendered, BILLING, "NANOFLEET_BILLING_CONTROL_API_URL")).isEqualTo("http://" + CONTROL_API
                + ":8080");
        assertThat(value(rendered, SCHEDULER, "NANOFLEET_SCHEDULER_MESSAGING_TOPIC_REPLICATION_FACTOR"))
                .isEqualTo("3");
        assertThat(rendered.env(WEB_UI)).doesNotContainKeys("KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_DATASOURCE_JDBC_URL");
        assertThat(value(rendered, WEB_UI, "NANOFLEET_WEB_UI_OIDC_ISSUER"))
                .isEqualTo("https://sso.example/realms/nanofleet");
    }

    @Test
    void ingresses_and_service_monitors_are_rendered_only_when_enabled_and_the_portal_follows_the_public_hosts() {
        Chart.Rendered plain = chart.render();
        Chart.Rendered exposed = chart.render(Map.of("controlApi.ingress.enabled", true,
                "controlApi.ingress.tlsSecretName", "api-tls", "webUi.ingress.enabled", true,
                "tenantBilling.ingress.enabled", true, "serviceMonitor.enabled", true,
                "serviceMonitor.labels.release", "prometheus"));

        assertThat(plain.ofKind("Ingress")).isEmpty();
        assertThat(plain.ofKind("ServiceMonitor")).isEmpty();
        assertThat(exposed.one("Ingress", CONTROL_API).at("/spec/tls/0/secretName").asText()).isEqualTo("api-tls");
        assertThat(exposed.one("Ingress", WEB_UI).at("/spec/rules/0/host").asText())
                .isEqualTo("portal.nanofleet.example");
        assertThat(value(exposed, WEB_UI, "NANOFLEET_WEB_UI_API_URL")).isEqualTo("https://api.nanofleet.example");
        assertThat(value(exposed, WEB_UI, "NANOFLEET_WEB_UI_BILLING_URL"))
                .isEqualTo("http://billing.nanofleet.example");
        assertThat(value(exposed, CONTROL_API, "NANOFLEET_PORTAL_ORIGINS")).isEqualTo(
                "http://portal.nanofleet.example");
        assertThat(exposed.ofKind("ServiceMonitor")).hasSize(4).allSatisfy(monitor -> {
            assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
            assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
        });
    }

    private static JsonNode container(Chart.Rendered rendered, String deployment) {
        return rendered.one("Deployment", deployment).at("/spec/template/spec/containers/0");
    }

    private static String image(Chart.Rendered rendered, String deployment) {
        return container(rendered, deployment).path("image").asText();
    }

    private static String value(Chart.Rendered rendered, String deployment, String name) {
        JsonNode variable = rendered.env(deployment).get(name);
        assertThat(variable).as(deployment + " " + name).isNotNull();
        return variable.path("value").asText();
    }
}

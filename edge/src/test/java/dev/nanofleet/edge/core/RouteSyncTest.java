package dev.nanofleet.edge.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteSyncTest {

    private static final AppsDomain DOMAIN = new AppsDomain("apps.localhost");
    private final InMemoryRoutes routes = new InMemoryRoutes();
    private final RecordingProxy proxy = new RecordingProxy();
    private final RouteSync sync = new RouteSync(routes, proxy, DOMAIN, HaproxyConfigTest.LISTENERS);

    @Test
    void the_first_pass_applies_the_routes() {
        routes.now = List.of(hello(new Backend("10.0.0.1", 31001)));

        RouteSync.Status status = sync.pass();

        assertThat(status.outcome()).isEqualTo(RouteSync.Outcome.APPLIED);
        assertThat(status.everApplied()).isTrue();
        assertThat(status.served().routes()).extracting(Route::hostname).containsExactly("hello-globex.apps.localhost");
        assertThat(proxy.applied).hasSize(1);
    }

    @Test
    void unchanged_routes_cause_no_reload() {
        routes.now = List.of(hello(new Backend("10.0.0.1", 31001)));
        sync.pass();

        assertThat(sync.pass().outcome()).isEqualTo(RouteSync.Outcome.UNCHANGED);
        assertThat(proxy.applied).hasSize(1);
    }

    @Test
    void a_replica_that_stops_serving_leaves_the_configuration() {
        routes.now = List.of(hello(new Backend("10.0.0.1", 31001), new Backend("10.0.0.1", 31002)));
        sync.pass();
        routes.now = List.of(hello(new Backend("10.0.0.1", 31002)));

        assertThat(sync.pass().outcome()).isEqualTo(RouteSync.Outcome.APPLIED);
        assertThat(proxy.applied.getLast().config()).contains("10.0.0.1:31002").doesNotContain("10.0.0.1:31001");
    }

    @Test
    void a_failed_read_keeps_the_routes_served_and_says_why() {
        routes.now = List.of(hello(new Backend("10.0.0.1", 31001)));
        sync.pass();
        routes.failure = new IOException("control-api answered 503");

        RouteSync.Status status = sync.pass();

        assertThat(status.outcome()).isEqualTo(RouteSync.Outcome.FETCH_FAILED);
        assertThat(status.error()).contains("control-api answered 503");
        assertThat(status.served().routes()).hasSize(1);
        assertThat(proxy.applied).hasSize(1);
    }

    @Test
    void a_refused_configuration_is_tried_again_on_the_next_pass() {
        routes.now = List.of(hello(new Backend("10.0.0.1", 31001)));
        proxy.failure = new IOException("haproxy refused the configuration");

        RouteSync.Status failed = sync.pass();
        proxy.failure = null;
        RouteSync.Status next = sync.pass();

        assertThat(failed.outcome()).isEqualTo(RouteSync.Outcome.APPLY_FAILED);
        assertThat(failed.everApplied()).isFalse();
        assertThat(failed.error()).contains("refused");
        assertThat(next.outcome()).isEqualTo(RouteSync.Outcome.APPLIED);
    }

    @Test
    void a_custom_domain_whose_certificate_cannot_be_had_is_left_out_and_named_while_the_rest_applies() {
        FakeCertificates certificates = new FakeCertificates();
        RouteSync withDomains = new RouteSync(routes, certificates, proxy, DOMAIN, HaproxyConfigTest.LISTENERS);
        routes.now = List.of(new DeploymentRoute("d1", "globex", "hello", List.of(new Backend("10.0.0.1", 31001)),
                List.of(new CustomDomain("shop.example.test", "aa"), new CustomDomain("broken.example.test", "bb"))));
        certificates.failing.add("broken.example.test");

        RouteSync.Status status = withDomains.pass();

        assertThat(status.outcome()).isEqualTo(RouteSync.Outcome.APPLIED);
        assertThat(status.served().routes()).extracting(Route::hostname).containsExactly(
                "hello-globex.apps.localhost", "shop.example.test");
        assertThat(status.domainsLeftOut()).containsOnlyKeys("broken.example.test");
        assertThat(proxy.applied.getLast().certificateList()).contains("/c/shop.example.test-aa.pem")
                .doesNotContain("broken");
        assertThat(certificates.retained).containsExactly(java.nio.file.Path.of("/c/shop.example.test-aa.pem"));

        // a renewed certificate is a new file: the configuration changes and the old file is let go
        routes.now = List.of(new DeploymentRoute("d1", "globex", "hello", List.of(new Backend("10.0.0.1", 31001)),
                List.of(new CustomDomain("shop.example.test", "cc"))));
        RouteSync.Status renewed = withDomains.pass();

        assertThat(renewed.outcome()).isEqualTo(RouteSync.Outcome.APPLIED);
        assertThat(renewed.domainsLeftOut()).isEmpty();
        assertThat(certificates.retained).containsExactly(java.nio.file.Path.of("/c/shop.example.test-cc.pem"));
    }

    @Test
    void the_initial_configuration_has_no_routes() {
        assertThat(sync.initial().hostMap()).doesNotContain("apps.localhost");
    }

    @Test
    void events_about_replicas_and_deployments_change_routes_and_others_do_not() {
        assertThat(RouteChangingEvents.changesRoutes("instance.state-changed")).isTrue();
        assertThat(RouteChangingEvents.changesRoutes("instance.health-changed")).isTrue();
        assertThat(RouteChangingEvents.changesRoutes("instance.placed")).isTrue();
        assertThat(RouteChangingEvents.changesRoutes("deployment.deleted")).isTrue();
        assertThat(RouteChangingEvents.changesRoutes("deployment.scaled")).isTrue();
        assertThat(RouteChangingEvents.changesRoutes("node.heartbeat")).isFalse();
        assertThat(RouteChangingEvents.changesRoutes("instance.exec-started")).isFalse();
        assertThat(RouteChangingEvents.changesRoutes(null)).isFalse();
    }

    private static DeploymentRoute hello(Backend... backends) {
        return new DeploymentRoute("d1", "globex", "hello", List.of(backends));
    }

    /** Certificate files named after the domain and fingerprint; the hostnames in {@code failing} cannot be had. */
    private static final class FakeCertificates implements Certificates {
        final java.util.Set<String> failing = new java.util.HashSet<>();
        java.util.List<java.nio.file.Path> retained = List.of();

        @Override
        public java.nio.file.Path file(CustomDomain domain) throws IOException {
            if (failing.contains(domain.hostname())) {
                throw new IOException("control-api answered 404");
            }
            return java.nio.file.Path.of("/c/" + domain.hostname() + "-" + domain.certificateSha256() + ".pem");
        }

        @Override
        public void retain(java.util.Collection<java.nio.file.Path> inUse) {
            retained = List.copyOf(inUse);
        }
    }

    /** The control plane's list, as a test sets it. */
    private static final class InMemoryRoutes implements RouteSource {
        List<DeploymentRoute> now = List.of();
        Exception failure;

        @Override
        public List<DeploymentRoute> fetch() throws Exception {
            if (failure != null) {
                throw failure;
            }
            return now;
        }
    }

    private static final class RecordingProxy implements Proxy {
        final List<HaproxyConfig.Rendered> applied = new ArrayList<>();
        Exception failure;

        @Override
        public void apply(HaproxyConfig.Rendered config) throws Exception {
            if (failure != null) {
                throw failure;
            }
            applied.add(config);
        }
    }
}

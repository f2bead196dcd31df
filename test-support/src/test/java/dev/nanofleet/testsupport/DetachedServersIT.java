package dev.nanofleet.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's way: fixed ports and data directories, stopped by PID, data kept across restarts (Keycloak's in
 * {@link KeycloakServerIT}).
 */
class DetachedServersIT {

    @TempDir
    Path dir;

    @Test
    void postgres_main_runs_as_its_own_process_and_keeps_its_data() throws Exception {
        int port = Ports.free();
        Path data = dir.resolve("pg");
        List<String> cmd = List.of(FleetHome.javaBin().toString(), "-cp", System.getProperty("java.class.path"),
                PostgresMain.class.getName(),
                "--port", String.valueOf(port), "--data", data.toString(), "--database", "launcher_db");
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/launcher_db";

        ManagedProcess first = ManagedProcess.builder("postgres-main", cmd).log(dir.resolve("pg1.log")).detached(true)
                .start();
        first.await(Duration.ofSeconds(60), "READY line", () -> first.logTail(20).contains("READY"));
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kept (v text)");
            st.execute("INSERT INTO kept VALUES ('still here')");
        }
        assertThat(ManagedProcess.stop(first.pid(), Duration.ofSeconds(20))).isTrue();
        Await.until(Duration.ofSeconds(20), "postgres to release port " + port, () -> !Ports.inUse(port));

        ManagedProcess second = ManagedProcess.builder("postgres-main", cmd).log(dir.resolve("pg2.log")).detached(true)
                .start();
        try {
            second.await(Duration.ofSeconds(60), "READY line", () -> second.logTail(20).contains("READY"));
            try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT v FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("still here");
            }
        } finally {
            ManagedProcess.stop(second.pid(), Duration.ofSeconds(20));
        }
        Await.until(Duration.ofSeconds(20), "postgres to stop", () -> !Ports.inUse(port));
    }

    @Test
    void detached_kafka_keeps_its_topics_across_a_restart() throws Exception {
        int port = Ports.free();
        Path data = dir.resolve("kafka");
        KafkaBroker first = KafkaBroker.startDetached(data, port, Ports.free());
        try (Admin admin = admin(first)) {
            admin.createTopics(List.of(new NewTopic("kept-topic", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        assertThat(ManagedProcess.stop(first.pid(), Duration.ofSeconds(30))).isTrue();

        KafkaBroker second = KafkaBroker.startDetached(data, port, Ports.free());
        try (Admin admin = admin(second)) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(names).contains("kept-topic");
        } finally {
            ManagedProcess.stop(second.pid(), Duration.ofSeconds(30));
        }
        assertThat(new File(data.resolve("kafka.log").toString())).exists();
    }

    @Test
    void detached_registry_keeps_its_images_across_a_restart() {
        Path skopeo = HostTools.require("skopeo", "umoci", "docker-registry");
        int port = Ports.free();
        Path data = dir.resolve("registry");
        OciRegistry first = OciRegistry.startDetached(data, port);
        String ref = DemoImage.pushTo(first);
        assertThat(ManagedProcess.stop(first.pid(), Duration.ofSeconds(10))).isTrue();

        OciRegistry second = OciRegistry.startDetached(data, port);
        try {
            String out = ManagedProcess.run(Duration.ofSeconds(60),
                    List.of(skopeo.toString(), "inspect", "--tls-verify=false", "docker://" + ref));
            assertThat(out).contains("\"Digest\": \"sha256:");
        } finally {
            ManagedProcess.stop(second.pid(), Duration.ofSeconds(10));
        }
    }

    private static Admin admin(KafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}

package dev.nanofleet.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanofleet.testsupport.Await;
import dev.nanofleet.testsupport.ManagedProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's bookkeeping with real (tiny) processes standing in for servers. */
class PlatformTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private Platform platform;

    @AfterEach
    void stopEverything() {
        if (platform != null) {
            platform.down(false);
        }
    }

    @Test
    void up_starts_each_component_once_and_a_second_up_is_harmless() throws Exception {
        SleepComponent db = new SleepComponent("db");
        SleepComponent api = new SleepComponent("api");
        platform = platform(db, api);

        platform.up();
        platform.up();

        assertThat(db.starts).hasValue(1);
        assertThat(api.starts).hasValue(1);
        assertThat(text()).contains("db              already running");
        assertThat(Files.readString(home.resolve("env"))).contains("export NANOFLEET_API_URL=http://127.0.0.1:1");
    }

    @Test
    void down_stops_what_up_started_by_pid_and_status_tells() throws Exception {
        SleepComponent db = new SleepComponent("db");
        platform = platform(db);
        platform.up();
        long pid = Long.parseLong(Files.readString(home.resolve("run/db.pid")).trim());
        assertThat(platform.status()).isTrue();

        platform.down(false);

        assertThat(ManagedProcess.isAlive(pid)).isFalse();
        assertThat(platform.status()).isFalse();
        assertThat(home.resolve("run/db.pid")).doesNotExist();
        assertThat(home.resolve("env")).doesNotExist();
    }

    @Test
    void a_component_that_fails_is_named_with_the_end_of_its_log() {
        Component broken = new SleepComponent("broken") {
            @Override
            public long start(Layout layout) throws Exception {
                Files.createDirectories(layout.log("broken").getParent());
                Files.writeString(layout.log("broken"), "FATAL: port 5432 already in use\n");
                throw new IllegalStateException("exited with code 1");
            }
        };
        platform = platform(broken);

        assertThatThrownBy(platform::up).isInstanceOf(LaunchException.class)
                .hasMessageContaining("broken did not come up: exited with code 1")
                .hasMessageContaining("FATAL: port 5432 already in use");
    }

    @Test
    void purge_deletes_data_and_logs() throws Exception {
        platform = platform(new SleepComponent("db"));
        platform.up();
        Files.createDirectories(home.resolve("data/db"));
        Files.writeString(home.resolve("data/db/table"), "rows");

        platform.down(true);

        assertThat(home.resolve("data")).doesNotExist();
        assertThat(home.resolve("logs")).doesNotExist();
    }

    @Test
    void host_setups_are_made_before_the_first_component_and_removed_after_the_last_stopped() throws Exception {
        List<String> journal = new java.util.concurrent.CopyOnWriteArrayList<>();
        SleepComponent db = new SleepComponent("db") {
            @Override
            public long start(Layout layout) throws Exception {
                journal.add("start db");
                return super.start(layout);
            }

            @Override
            public void afterStop(Layout layout) {
                journal.add("stopped db");
            }
        };
        RecordingSetup network = new RecordingSetup(journal);
        platform = new Platform(new Layout(home.getParent(), home), List.of(network), List.of(db), Map.of(),
                new PrintStream(output, true, StandardCharsets.UTF_8));

        platform.up();
        assertThat(platform.status()).isTrue();
        assertThat(text()).contains("node-network    ready              -        bridge 10.230.0.0/24");
        platform.down(false);

        assertThat(journal).containsExactly("ensure network", "start db", "stopped db", "remove network");
        assertThat(platform.status()).isFalse();
        assertThat(text()).contains("node-network    missing");
    }

    @Test
    void a_host_setup_that_fails_stops_up_naming_it_before_any_component_starts() {
        SleepComponent db = new SleepComponent("db");
        HostSetup broken = new RecordingSetup(new java.util.ArrayList<>()) {
            @Override
            public void ensure() {
                throw new IllegalStateException("exit status 2: ip link add nfl-1 type bridge");
            }
        };
        platform = new Platform(new Layout(home.getParent(), home), List.of(broken), List.of(db), Map.of(),
                new PrintStream(output, true, StandardCharsets.UTF_8));

        assertThatThrownBy(platform::up).isInstanceOf(LaunchException.class)
                .hasMessage("node-network could not be set up: exit status 2: ip link add nfl-1 type bridge");
        assertThat(db.starts).hasValue(0);
    }

    /** A host setup that only writes down what was asked of it. */
    static class RecordingSetup implements HostSetup {
        final List<String> journal;
        volatile boolean present;

        RecordingSetup(List<String> journal) {
            this.journal = journal;
        }

        @Override
        public String name() {
            return "node-network";
        }

        @Override
        public String describe() {
            return "bridge 10.230.0.0/24";
        }

        @Override
        public boolean present() {
            return present;
        }

        @Override
        public void ensure() {
            journal.add("ensure network");
            present = true;
        }

        @Override
        public void remove() {
            journal.add("remove network");
            present = false;
        }
    }

    @Test
    void kill_ends_the_recorded_process_and_the_trees_it_names_and_up_brings_it_back() throws Exception {
        long[] detached = new long[1];
        SleepComponent db = new SleepComponent("db") {
            @Override
            public List<Long> detachedPids(Layout layout) {
                return List.of(detached[0]);
            }
        };
        platform = platform(db);
        platform.up();
        long first = db.pid;
        // stands in for a postmaster: started apart from the recorded process, with a child of its own
        Process postmaster = new ProcessBuilder("sh", "-c", "sleep 300 & wait").start();
        detached[0] = postmaster.pid();
        ProcessHandle backend = Await.value(Duration.ofSeconds(10), "the stand-in's child",
                () -> postmaster.toHandle().children().findFirst().orElse(null));

        platform.kill("db");

        assertThat(ManagedProcess.isAlive(first)).isFalse();
        assertThat(postmaster.isAlive()).isFalse();
        assertThat(backend.isAlive()).isFalse();
        assertThat(platform.running("db")).isFalse();
        assertThat(text()).contains("db              kill -9 [" + first + ", " + postmaster.pid());

        platform.up();

        assertThat(db.starts).hasValue(2);
        assertThat(platform.running("db")).isTrue();
    }

    @Test
    void killing_what_does_not_run_or_does_not_exist_is_refused() {
        platform = platform(new SleepComponent("db"));

        assertThatThrownBy(() -> platform.kill("db")).isInstanceOf(LaunchException.class)
                .hasMessage("db is not running, so it cannot be killed");
        assertThatThrownBy(() -> platform.kill("web")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no component named web; there are [db]");
    }

    @Test
    void another_instance_of_a_service_gets_its_own_name_and_port_after_the_original() {
        QuarkusService scheduler = new QuarkusService("scheduler", 1, Map.of("A", "b"), "64m");
        platform = platform(new SleepComponent("db"), scheduler, new SleepComponent("web"));

        Platform doubled = platform.withAnother("scheduler", "scheduler-2", 2);

        assertThat(doubled.status()).isFalse();
        assertThat(text()).containsSubsequence("db", "scheduler ", "scheduler-2", "http://127.0.0.1:2", "web");
        assertThatThrownBy(() -> platform.withAnother("db", "db-2", 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("db is not one of our services: it cannot be doubled");
    }

    private Platform platform(Component... components) {
        return new Platform(new Layout(home.getParent(), home), List.of(components),
                Map.of("NANOFLEET_API_URL", "http://127.0.0.1:1"),
                new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    private String text() {
        return output.toString(StandardCharsets.UTF_8);
    }

    /** A "server" that is a sleeping process, ready as soon as it runs. */
    static class SleepComponent implements Component {
        final String name;
        final AtomicInteger starts = new AtomicInteger();
        volatile long pid;

        SleepComponent(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String endpoint() {
            return "nowhere";
        }

        @Override
        public long start(Layout layout) throws Exception {
            starts.incrementAndGet();
            pid = ManagedProcess.builder(name, "sleep", "300").log(layout.log(name)).detached(true).start().pid();
            return pid;
        }

        @Override
        public boolean ready() {
            return pid != 0 && ManagedProcess.isAlive(pid);
        }
    }
}

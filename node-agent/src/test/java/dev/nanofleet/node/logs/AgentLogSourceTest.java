package dev.nanofleet.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentLogSourceTest {

    private static final Path JOURNALCTL = Path.of("/usr/bin/journalctl");
    private static final Path LOG = Path.of("/var/log/agent.log");

    /** A host with journalctl or without, and some readable files. */
    private static AgentLogSource.Host host(boolean journalctl, Path... readable) {
        return new AgentLogSource.Host() {
            @Override
            public Optional<Path> executable(String name) {
                return journalctl && name.equals("journalctl") ? Optional.of(JOURNALCTL) : Optional.empty();
            }

            @Override
            public boolean readableFile(Path file) {
                return Set.of(readable).contains(file);
            }
        };
    }

    @Test
    void on_the_node_os_the_agents_unit_is_read_from_the_journal_tailed_and_followed() {
        assertThat(AgentLogSource.plan("journal", Optional.empty(), 50, false, host(true)))
                .isEqualTo(new AgentLogSource.Command(List.of("/usr/bin/journalctl", "-u", "nanofleet-agent.service",
                        "-o", "short-iso", "--no-pager", "-n", "50")));
        assertThat(AgentLogSource.plan("journal", Optional.of(LOG), 7, true, host(true, LOG)))
                .isEqualTo(new AgentLogSource.Command(List.of("/usr/bin/journalctl", "-u", "nanofleet-agent.service",
                        "-o", "short-iso", "--no-pager", "-n", "7", "-f")));
    }

    @Test
    void the_journal_without_journalctl_is_unreadable_and_says_so() {
        assertThat(AgentLogSource.plan("journal", Optional.empty(), 50, false, host(false)))
                .isInstanceOfSatisfying(AgentLogSource.Unreadable.class,
                        u -> assertThat(u.why()).contains("journalctl is not installed"));
    }

    @Test
    void elsewhere_the_file_the_agents_output_goes_to_is_read() {
        assertThat(AgentLogSource.plan("file", Optional.of(LOG), 50, true, host(true, LOG)))
                .isEqualTo(new AgentLogSource.File(LOG));
    }

    @Test
    void a_file_source_without_a_file_or_with_one_that_cannot_be_read_is_unreadable_and_says_why() {
        assertThat(AgentLogSource.plan("file", Optional.empty(), 50, false, host(true)))
                .isInstanceOfSatisfying(AgentLogSource.Unreadable.class,
                        u -> assertThat(u.why()).contains("nanofleet.node.logs.agent-file is unset"));
        assertThat(AgentLogSource.plan("file", Optional.of(LOG), 50, false, host(true)))
                .isInstanceOfSatisfying(AgentLogSource.Unreadable.class,
                        u -> assertThat(u.why()).contains(LOG + " (nanofleet.node.logs.agent-file) is not a readable"));
    }
}

package dev.nanofleet.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.nodeapi.GrantKeys;
import dev.nanofleet.nodeapi.LogsGrant;
import dev.nanofleet.nodeapi.NodeLogsGrant;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NodeLogsGrantCheckTest {

    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    private final KeyPair controlApi = GrantKeys.fromSeed(GrantKeys.newSeed());
    private final AtomicReference<java.security.PublicKey> key = new AtomicReference<>(controlApi.getPublic());
    private final NodeLogsGrantCheck check = new NodeLogsGrantCheck("node-a", Clock.fixed(NOW, ZoneOffset.UTC),
            key::get);

    private String bearer(String token) {
        return "Bearer " + token;
    }

    @Test
    void control_apis_grant_for_this_nodes_logs_reads() {
        assertThat(check.refusal(bearer(NodeLogsGrant.readNodeLogs("node-a", NOW).sign(controlApi.getPrivate()))))
                .isNull();
    }

    @Test
    void an_instance_logs_grant_for_this_node_is_refused() {
        String instanceGrant = LogsGrant.readLogs("node-a", UUID.randomUUID(), NOW).sign(controlApi.getPrivate());

        assertThat(check.refusal(bearer(instanceGrant))).contains("not control-api's grant to read this node's logs");
    }

    @Test
    void a_grant_for_another_node_an_expired_one_or_one_signed_with_another_key_is_refused() {
        KeyPair rogue = GrantKeys.fromSeed(GrantKeys.newSeed());

        assertThat(check.refusal(bearer(NodeLogsGrant.readNodeLogs("node-b", NOW).sign(controlApi.getPrivate()))))
                .isNotNull();
        assertThat(check.refusal(bearer(NodeLogsGrant.readNodeLogs("node-a", NOW.minusSeconds(120))
                .sign(controlApi.getPrivate())))).isNotNull();
        assertThat(check.refusal(bearer(NodeLogsGrant.readNodeLogs("node-a", NOW).sign(rogue.getPrivate()))))
                .isNotNull();
    }

    @Test
    void without_a_bearer_or_before_registration_nothing_reads() {
        assertThat(check.refusal(null)).contains("bearer grant");
        assertThat(check.refusal("Basic abc")).contains("bearer grant");
        key.set(null);
        assertThat(check.refusal(bearer(NodeLogsGrant.readNodeLogs("node-a", NOW).sign(controlApi.getPrivate()))))
                .contains("not registered");
    }
}

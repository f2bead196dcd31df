package dev.nanofleet.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NodeLogsGrantTest {

    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    private final KeyPair controlApi = GrantKeys.fromSeed(GrantKeys.newSeed());

    @Test
    void a_signed_grant_reads_that_nodes_logs_only() {
        String token = NodeLogsGrant.readNodeLogs("node-a", NOW).sign(controlApi.getPrivate());

        NodeLogsGrant grant = NodeLogsGrant.verify(token, controlApi.getPublic()).orElseThrow();

        assertThat(grant.scope()).isEqualTo(NodeLogsGrant.NODE_LOGS_READ);
        assertThat(grant.allows("node-a", NOW)).isTrue();
        assertThat(grant.allows("node-b", NOW)).isFalse();
    }

    @Test
    void a_grant_expires_a_minute_after_it_was_made_and_one_that_claims_to_live_longer_is_refused() {
        NodeLogsGrant grant = NodeLogsGrant.readNodeLogs("node-a", NOW);
        NodeLogsGrant forever = new NodeLogsGrant("node-a", NodeLogsGrant.NODE_LOGS_READ, NOW.plusSeconds(3600));

        assertThat(grant.allows("node-a", NOW.plusSeconds(59))).isTrue();
        assertThat(grant.allows("node-a", NOW.plusSeconds(66))).isFalse();
        assertThat(forever.allows("node-a", NOW)).isFalse();
    }

    @Test
    void an_instance_logs_grant_is_no_node_logs_grant_and_a_node_logs_grant_is_no_instance_logs_grant() {
        String instanceGrant = LogsGrant.readLogs("node-a", UUID.randomUUID(), NOW).sign(controlApi.getPrivate());
        String nodeGrant = NodeLogsGrant.readNodeLogs("node-a", NOW).sign(controlApi.getPrivate());

        assertThat(NodeLogsGrant.verify(instanceGrant, controlApi.getPublic())).isEmpty();
        assertThat(LogsGrant.verify(nodeGrant, controlApi.getPublic())).isEmpty();
    }

    @Test
    void a_grant_with_another_scope_or_signed_with_another_key_is_refused() {
        KeyPair rogue = GrantKeys.fromSeed(GrantKeys.newSeed());
        String otherScope = new NodeLogsGrant("node-a", "node.logs.write", NOW.plusSeconds(60))
                .sign(controlApi.getPrivate());
        String forged = NodeLogsGrant.readNodeLogs("node-a", NOW).sign(rogue.getPrivate());

        assertThat(NodeLogsGrant.verify(otherScope, controlApi.getPublic())).isEmpty();
        assertThat(NodeLogsGrant.verify(forged, controlApi.getPublic())).isEmpty();
        assertThat(NodeLogsGrant.verify("a.b", controlApi.getPublic())).isEmpty();
        assertThat(NodeLogsGrant.verify(null, controlApi.getPublic())).isEmpty();
    }
}

package dev.nanofleet.scheduler.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeploymentReplicasTest {

    @Test
    void counts_per_node_and_totals_survive_the_table_growing() {
        DeploymentReplicas replicas = new DeploymentReplicas();
        for (int d = 0; d < 10_000; d++) {
            for (int node = 0; node < d % 4; node++) {
                replicas.add(new UUID(d, -d), node, node + 1);
            }
            replicas.add(new UUID(d, -d), 0, d % 4 == 0 ? 0 : 1);
        }

        for (int d = 0; d < 10_000; d++) {
            int slot = replicas.slotOf(new UUID(d, -d));
            if (d % 4 == 0) {
                assertThat(slot).as("deployment %d", d).isEqualTo(DeploymentReplicas.END);
                continue;
            }
            assertThat(replicas.countOn(slot, 0)).isEqualTo(2);
            for (int node = 1; node < d % 4; node++) {
                assertThat(replicas.countOn(slot, node)).isEqualTo(node + 1);
            }
            assertThat(replicas.countOn(slot, 3)).isZero();
            assertThat(replicas.total(slot)).isEqualTo((d % 4) * (d % 4 + 1) / 2 + 1);
        }
    }

    @Test
    void a_deployment_is_found_by_an_equal_id_not_only_the_same_object() {
        DeploymentReplicas replicas = new DeploymentReplicas();
        replicas.add(new UUID(7, 8), 3, 2);

        int slot = replicas.slotOf(new UUID(7, 8));

        assertThat(replicas.deployment(slot)).isEqualTo(new UUID(7, 8));
        assertThat(replicas.countOn(slot, 3)).isEqualTo(2);
    }

    @Test
    void every_node_of_a_deployment_is_in_its_chain_once() {
        DeploymentReplicas replicas = new DeploymentReplicas();
        UUID deployment = new UUID(1, 1);
        for (int i = 0; i < 100; i++) {
            replicas.add(deployment, i % 10, 1);
        }

        int entries = 0;
        int sum = 0;
        for (int e = replicas.firstEntry(replicas.slotOf(deployment)); e != DeploymentReplicas.END; e = replicas
                .nextEntry(e)) {
            entries++;
            sum += replicas.count(e);
        }
        assertThat(entries).isEqualTo(10);
        assertThat(sum).isEqualTo(100);
    }
}

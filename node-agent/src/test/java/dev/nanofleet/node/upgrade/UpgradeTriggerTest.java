package dev.nanofleet.node.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.nodeapi.OsUpgradeOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class UpgradeTriggerTest {

    private final List<Runnable> queued = new ArrayList<>();
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final UpgradeTrigger trigger = new UpgradeTrigger("v1", queued::add, started::add);

    @Test
    void an_order_for_another_version_starts_one_upgrade_on_the_executor() {
        trigger.accept(new OsUpgradeOrder("v2"));
        assertThat(started).isEmpty();
        assertThat(queued).hasSize(1);
        queued.getFirst().run();
        assertThat(started).containsExactly("v2");
    }

    @Test
    void no_order_or_one_for_the_running_version_starts_nothing() {
        trigger.accept(null);
        trigger.accept(new OsUpgradeOrder("v1"));
        trigger.accept(new OsUpgradeOrder(null));
        assertThat(queued).isEmpty();
    }

    @Test
    void an_order_seen_again_while_its_upgrade_runs_or_after_it_ran_starts_nothing_more() {
        trigger.accept(new OsUpgradeOrder("v2"));
        trigger.accept(new OsUpgradeOrder("v2"));
        trigger.accept(new OsUpgradeOrder("v3")); // busy
        assertThat(queued).hasSize(1);
        queued.getFirst().run();
        trigger.accept(new OsUpgradeOrder("v2"));
        assertThat(queued).hasSize(1);
    }

    @Test
    void once_the_order_left_the_list_the_same_version_may_be_ordered_again() {
        trigger.accept(new OsUpgradeOrder("v2"));
        queued.getFirst().run();
        trigger.accept(null);
        trigger.accept(new OsUpgradeOrder("v2"));
        assertThat(queued).hasSize(2);
    }
}

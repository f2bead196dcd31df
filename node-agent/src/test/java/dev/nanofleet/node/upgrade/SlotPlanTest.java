package dev.nanofleet.node.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SlotPlanTest {

    static final String HASH = "0123456789abcdef".repeat(4);
    static final String RUNNING_A = """
            title Nanofleet node (slot A)
            sort-key nanofleet
            version 2
            linux /nanofleet/a/vmlinuz
            initrd /nanofleet/a/initrd.img
            options nanofleet.roothash=%s nanofleet.root=root-a nanofleet.data_blocks=46103 console=ttyS0,115200 panic=5 ro
            """
            .formatted("f".repeat(64));

    @Test
    void the_idle_slot_is_the_one_the_node_did_not_boot() {
        assertThat(SlotPlan.idleSlot("a")).isEqualTo("b");
        assertThat(SlotPlan.idleSlot("b")).isEqualTo("a");
    }

    @Test
    void an_unknown_booted_slot_has_no_idle_slot() {
        assertThatThrownBy(() -> SlotPlan.idleSlot(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nanofleet.root=");
        assertThatThrownBy(() -> SlotPlan.idleSlot("c")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void entries_are_recognised_whatever_their_boot_counter_says() {
        assertThat(SlotPlan.slotOf("nanofleet-a.conf")).contains("a");
        assertThat(SlotPlan.slotOf("nanofleet-b+3.conf")).contains("b");
        assertThat(SlotPlan.slotOf("nanofleet-a+2-1.conf")).contains("a");
        assertThat(SlotPlan.slotOf("nanofleet-b+0-3.conf")).contains("b");
        assertThat(SlotPlan.slotOf("nanofleet-c.conf")).isEmpty();
        assertThat(SlotPlan.slotOf("other.conf")).isEmpty();
        assertThat(SlotPlan.slotOf("nanofleet-a.conf.new")).isEmpty();
        assertThat(SlotPlan.entryFileName("b")).isEqualTo("nanofleet-b+3.conf");
    }

    @Test
    void the_new_entry_sorts_above_every_existing_one() {
        assertThat(SlotPlan.nextVersion(Map.of("nanofleet-a.conf", RUNNING_A, "nanofleet-b+3.conf",
                "title B\nversion 1\n"))).isEqualTo(3);
        assertThat(SlotPlan.nextVersion(Map.of("nanofleet-a.conf", "no version line\n"))).isEqualTo(1);
        assertThat(SlotPlan.nextVersion(Map.of())).isEqualTo(1);
    }

    @Test
    void the_new_entry_names_its_slot_and_release_and_keeps_the_running_entrys_other_options() {
        String entry = SlotPlan.entryText("b", 3, HASH, "47000", RUNNING_A);
        assertThat(entry).isEqualTo(
                """
                        title Nanofleet node (slot B)
                        sort-key nanofleet
                        version 3
                        linux /nanofleet/b/vmlinuz
                        initrd /nanofleet/b/initrd.img
                        options nanofleet.roothash=%s nanofleet.root=root-b nanofleet.data_blocks=47000 console=ttyS0,115200 panic=5 ro
                        """
                        .formatted(HASH));
        assertThat(SlotPlan.version(entry)).isEqualTo(3);
    }

    @Test
    void without_a_running_entry_the_new_one_carries_only_the_slots_parameters() {
        assertThat(SlotPlan.entryText("a", 1, HASH, "5", null)).contains("options nanofleet.roothash=" + HASH
                + " nanofleet.root=root-a nanofleet.data_blocks=5\n");
    }

    @Test
    void a_root_hash_or_block_count_that_is_not_one_is_refused() {
        assertThatThrownBy(() -> SlotPlan.entryText("b", 3, "xyz", "5", RUNNING_A))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root hash");
        assertThatThrownBy(() -> SlotPlan.entryText("b", 3, HASH + " init=/bin/sh", "5", RUNNING_A))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SlotPlan.entryText("b", 3, HASH, "5 init=/bin/sh", RUNNING_A))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data-blocks");
        assertThatThrownBy(() -> SlotPlan.entryText("b", 3, HASH, "0", RUNNING_A))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

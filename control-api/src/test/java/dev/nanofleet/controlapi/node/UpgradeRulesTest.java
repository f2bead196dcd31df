package dev.nanofleet.controlapi.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.nodeapi.OsUpgradeReport;
import org.junit.jupiter.api.Test;

class UpgradeRulesTest {

    @Test
    void an_upgrade_is_refused_when_the_node_does_not_run_the_node_os_runs_the_version_or_is_busy() {
        assertThat(UpgradeRules.refusal("n", null, null, "v2")).hasValueSatisfying(r -> assertThat(r)
                .contains("does not run the node OS"));
        assertThat(UpgradeRules.refusal("n", "v2", null, "v2")).hasValueSatisfying(r -> assertThat(r)
                .contains("runs v2 already"));
        for (UpgradeState busy : new UpgradeState[]{UpgradeState.REQUESTED, UpgradeState.INSTALLING,
                UpgradeState.DRAINING, UpgradeState.REBOOTING}) {
            assertThat(UpgradeRules.refusal("n", "v1", busy, "v2")).as(busy.name())
                    .hasValueSatisfying(r -> assertThat(r).contains("in progress"));
        }
    }

    @Test
    void an_upgrade_is_allowed_after_the_last_one_ended_whichever_way() {
        assertThat(UpgradeRules.refusal("n", "v1", null, "v2")).isEmpty();
        for (UpgradeState ended : new UpgradeState[]{UpgradeState.SUCCEEDED, UpgradeState.ROLLED_BACK,
                UpgradeState.FAILED}) {
            assertThat(UpgradeRules.refusal("n", "v1", ended, "v2")).as(ended.name()).isEmpty();
        }
    }

    @Test
    void reports_move_the_upgrade_forward_only_and_only_for_its_version() {
        assertThat(UpgradeRules.afterReport(UpgradeState.REQUESTED, "v2", report("v2", "installing")))
                .contains(UpgradeState.INSTALLING);
        assertThat(UpgradeRules.afterReport(UpgradeState.INSTALLING, "v2", report("v2", "installing")))
                .contains(UpgradeState.INSTALLING);
        assertThat(UpgradeRules.afterReport(UpgradeState.INSTALLING, "v2", report("v2", "draining")))
                .contains(UpgradeState.DRAINING);
        assertThat(UpgradeRules.afterReport(UpgradeState.DRAINING, "v2", report("v2", "rebooting")))
                .contains(UpgradeState.REBOOTING);
        assertThat(UpgradeRules.afterReport(UpgradeState.DRAINING, "v2", report("v2", "installing"))).isEmpty();
        assertThat(UpgradeRules.afterReport(UpgradeState.INSTALLING, "v2", report("v3", "draining"))).isEmpty();
        assertThat(UpgradeRules.afterReport(UpgradeState.SUCCEEDED, "v2", report("v2", "installing"))).isEmpty();
        assertThat(UpgradeRules.afterReport(null, "v2", report("v2", "installing"))).isEmpty();
        assertThat(UpgradeRules.afterReport(UpgradeState.REQUESTED, "v2", report("v2", "exploded"))).isEmpty();
        assertThat(UpgradeRules.afterReport(UpgradeState.REQUESTED, "v2", null)).isEmpty();
    }

    @Test
    void a_failure_ends_any_step_in_progress_but_not_an_ended_upgrade() {
        for (UpgradeState before : new UpgradeState[]{UpgradeState.REQUESTED, UpgradeState.INSTALLING,
                UpgradeState.DRAINING, UpgradeState.REBOOTING}) {
            assertThat(UpgradeRules.afterReport(before, "v2", report("v2", "failed"))).as(before.name())
                    .contains(UpgradeState.FAILED);
        }
        assertThat(UpgradeRules.afterReport(UpgradeState.SUCCEEDED, "v2", report("v2", "failed"))).isEmpty();
        assertThat(UpgradeRules.afterReport(UpgradeState.REBOOTING, "v2", report("v2", "draining"))).isEmpty();
    }

    @Test
    void the_registration_after_the_reboot_says_whether_the_new_slot_came_up() {
        assertThat(UpgradeRules.afterRegistration(UpgradeState.REBOOTING, "v2", "v2")).contains(
                UpgradeState.SUCCEEDED);
        assertThat(UpgradeRules.afterRegistration(UpgradeState.REBOOTING, "v2", "v1")).contains(
                UpgradeState.ROLLED_BACK);
        assertThat(UpgradeRules.afterRegistration(UpgradeState.INSTALLING, "v2", "v1")).contains(
                UpgradeState.ROLLED_BACK);
        assertThat(UpgradeRules.afterRegistration(UpgradeState.DRAINING, "v2", "v1")).contains(
                UpgradeState.ROLLED_BACK);
    }

    @Test
    void a_node_that_reported_a_failure_but_registers_with_the_new_version_did_upgrade() {
        assertThat(UpgradeRules.afterRegistration(UpgradeState.FAILED, "v2", "v2")).contains(
                UpgradeState.SUCCEEDED);
    }

    @Test
    void a_registration_before_the_node_picked_the_upgrade_up_or_after_it_ended_changes_nothing() {
        assertThat(UpgradeRules.afterRegistration(UpgradeState.REQUESTED, "v2", "v1")).isEmpty();
        assertThat(UpgradeRules.afterRegistration(UpgradeState.SUCCEEDED, "v2", "v1")).isEmpty();
        assertThat(UpgradeRules.afterRegistration(UpgradeState.FAILED, "v2", "v1")).isEmpty();
        assertThat(UpgradeRules.afterRegistration(UpgradeState.ROLLED_BACK, "v2", "v2")).isEmpty();
        assertThat(UpgradeRules.afterRegistration(UpgradeState.REBOOTING, "v2", null)).isEmpty();
        assertThat(UpgradeRules.afterRegistration(null, "v2", "v2")).isEmpty();
    }

    private static OsUpgradeReport report(String version, String state) {
        return new OsUpgradeReport(version, state, null);
    }
}

package dev.nanofleet.controlapi.node;

import dev.nanofleet.controlapi.openapi.EnumNames;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A node's latest OS upgrade as operators see it. */
@Schema(name = "NodeUpgrade")
public record NodeUpgradeView(@Schema(required = true, description = "the node OS release asked for") String version,
        @Schema(required = true, type = SchemaType.STRING, enumeration = {
                "requested", "installing", "draining",
                "rebooting", "succeeded", "rolled-back", "failed"}, description = "requested: the node has not picked"
                        + " it up yet; installing: it downloads, verifies and writes its idle slot; draining: the slot"
                        + " is written and the node's instances move elsewhere; rebooting: into the new slot;"
                        + " succeeded: it registered with the new version; rolled-back: it came back on the old"
                        + " version (the new slot failed its boot tries); failed: the node gave up (detail says"
                        + " why) and runs its current slot on") String state,
        @Schema(nullable = true) String detail, @Schema(required = true) Instant updatedAt){

    public static NodeUpgradeView of(NodeUpgradeEntity upgrade) {
        return upgrade == null
                ? null
                : new NodeUpgradeView(upgrade.version, EnumNames.json(upgrade.state), upgrade.detail,
                        upgrade.updatedAt);
    }
}

package dev.nanofleet.nodeapi;

import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One instance a node is to run (or to stop), with everything needed to start it. */
public record Assignment(UUID instanceId, UUID deploymentId, String tenant, String image, Isolation isolation,
        Resources resources, List<String> command, Map<String, String> env, DesiredState desiredState) {
}

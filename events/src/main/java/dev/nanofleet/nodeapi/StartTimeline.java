package dev.nanofleet.nodeapi;

import java.time.Instant;

/**
 * When the node did its part of starting an instance, by the node's clock, sent with the RUNNING report of a start (not
 * of a restart or an adoption). Every field is optional; those given must be in order (delivered, pulled, started) and
 * not in the future beyond a small clock skew, or control-api refuses the report (400 naming the field).
 *
 * @param deliveredAt when the agent first saw the instance in its assignment list
 * @param pulledAt when its image was ready in the instance's bundle (pulled, or taken from the cache, and unpacked)
 * @param startedAt when its process was running
 */
public record StartTimeline(Instant deliveredAt, Instant pulledAt, Instant startedAt) {
}

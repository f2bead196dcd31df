package dev.nanofleet.controlapi.startup;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.nodeapi.StartTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node's {@link StartTimeline} must be: each time not later than now plus {@link #SKEW} (the node's clock may be
 * a little ahead), and in order, delivered before pulled before started (equal is fine: a cached image can be ready in
 * the millisecond it was delivered). Fields are optional. Pure.
 */
public final class StartTimelineRules {

    /** How far ahead of control-api's clock a node's may be. */
    public static final Duration SKEW = Duration.ofSeconds(5);

    private StartTimelineRules() {
    }

    /** The errors of a report's {@code timeline} (JSON paths {@code timeline.<field>}); none for null. */
    public static List<FieldError> validate(StartTimeline timeline, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        if (timeline == null) {
            return errors;
        }
        Instant latest = now.plus(SKEW);
        String[] names = {"deliveredAt", "pulledAt", "startedAt"};
        Instant[] times = {timeline.deliveredAt(), timeline.pulledAt(), timeline.startedAt()};
        Instant before = null;
        String beforeName = null;
        for (int i = 0; i < times.length; i++) {
            Instant t = times[i];
            if (t == null) {
                continue;
            }
            if (t.isAfter(latest)) {
                errors.add(new FieldError("timeline." + names[i], "must not be in the future (it is " + t
                        + ", control-api's clock says " + now + ")"));
            } else if (before != null && t.isBefore(before)) {
                errors.add(new FieldError("timeline." + names[i], "must not be before " + beforeName));
            }
            before = t;
            beforeName = names[i];
        }
        return errors;
    }
}

package dev.nanofleet.controlapi.rollout;

/**
 * How a deployment rolls out a new revision. {@code maxSurge} and {@code maxUnavailable} are a count or a percentage
 * of the replicas ({@code "25%"}), like Kubernetes': a surge percentage rounds up, an unavailable one down, so 3
 * replicas with the defaults (25%, 25%) roll one extra replica at a time and never have fewer than 3 ready.
 *
 * @param minReadySeconds how long a replica without a health check must run to count as ready
 * @param progressDeadlineSeconds how long a rollout may go without progress before it fails
 * @param autoRollback whether a failed rollout returns to the last revision that rolled out completely
 */
public record RolloutPolicy(String maxSurge, String maxUnavailable, int minReadySeconds, int progressDeadlineSeconds,
        boolean autoRollback) {

    public static final RolloutPolicy DEFAULT = new RolloutPolicy("25%", "25%", 0, 600, true);

    public int maxSurge(int replicas) {
        return resolve(maxSurge, replicas, true);
    }

    /** Never all of them: at least one replica stays when the surge is zero, as Kubernetes does. */
    public int maxUnavailable(int replicas) {
        int unavailable = resolve(maxUnavailable, replicas, false);
        return maxSurge(replicas) == 0 && unavailable == 0 ? 1 : Math.min(unavailable, replicas);
    }

    private static int resolve(String value, int replicas, boolean roundUp) {
        if (value.endsWith("%")) {
            int percent = Integer.parseInt(value.substring(0, value.length() - 1));
            return roundUp ? (replicas * percent + 99) / 100 : replicas * percent / 100;
        }
        return Integer.parseInt(value);
    }

    /** Whether {@code value} is a count 0-100 or a percentage 0%-100%. */
    public static boolean valid(String value) {
        return value != null && value.matches("(100|[1-9]?[0-9])%?");
    }
}

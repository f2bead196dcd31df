package dev.nanofleet.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./fleet bench startup}: API create to RUNNING as a user sees it, on the local platform ({@link SharedPlatform},
 * the packaged services). It warms the node's image cache, then deploys one replica at a time, N times per isolation
 * mode: {@code POST /v1/deployments}, then {@code GET} it every {@code bench.poll-ms} until the replica is
 * {@code running}, deletes it and waits until it stopped before the next. Prints
 * {@code startup mode=shared n=.. p50_ms=.. p90_ms=.. p99_ms=.. max_ms=..} per mode and the medians of the phases of
 * the instances' start timelines ({@code relay schedule deliver pull start report total}, see control-api's
 * {@code StartPhases}).
 *
 * <p>
 * Properties: {@code bench.shared} (default 30) and {@code bench.hardware} (default 10) replicas, {@code bench.poll-ms}
 * (default 10). Shared-kernel replicas are bob's (trusted), hardware-isolated ones alice's (untrusted: {@code auto} is a
 * VM).
 */
public final class StartupBench {

    private static final String[] PHASES = {"relay", "schedule", "deliver", "pull", "start", "report", "total"};
    /** Ends at once on TERM, so a delete takes no stop grace period from the node's workers. */
    private static final List<String> COMMAND = List.of("/bin/sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait");

    private final SharedPlatform platform;
    private final Duration poll;

    private StartupBench(SharedPlatform platform, Duration poll) {
        this.platform = platform;
        this.poll = poll;
    }

    public static void main(String[] args) throws Exception {
        int shared = Integer.getInteger("bench.shared", 30);
        int hardware = Integer.getInteger("bench.hardware", 10);
        Duration poll = Duration.ofMillis(Integer.getInteger("bench.poll-ms", 10));
        StartupBench bench = new StartupBench(SharedPlatform.get(), poll);
        List<String> lines = new ArrayList<>();
        if (shared > 0) {
            lines.addAll(bench.run("shared", "bob", shared));
        }
        if (hardware > 0) {
            lines.addAll(bench.run("hardware", "alice", hardware));
        }
        lines.forEach(System.out::println);
        System.out.flush();
        // the platform's shutdown hook stops it; exec:java would otherwise wait for its threads
        System.exit(0);
    }

    private List<String> run(String mode, String user, int n) throws Exception {
        String token = platform.keycloak.passwordToken(user, "nanofleet");
        System.out.printf("[bench] %s: warming the image cache%n", mode);
        once(token, mode, "warm");
        List<Long> millis = new ArrayList<>();
        Map<String, List<Long>> phases = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Sample s = once(token, mode, String.valueOf(i));
            millis.add(s.millis);
            s.phases.forEach((phase, ms) -> phases.computeIfAbsent(phase, k -> new ArrayList<>()).add(ms));
            System.out.printf("[bench] %s %d/%d: %d ms %s%n", mode, i + 1, n, s.millis, s.phases);
        }
        List<Long> sorted = millis.stream().sorted().toList();
        StringBuilder phaseLine = new StringBuilder("startup mode=" + mode + " phase_p50_ms");
        for (String phase : PHASES) {
            List<Long> values = phases.getOrDefault(phase, List.of()).stream().sorted().toList();
            phaseLine.append(' ').append(phase).append('=').append(values.isEmpty() ? "-" : percentile(values, 50));
        }
        return List.of(String.format("startup mode=%s n=%d p50_ms=%d p90_ms=%d p99_ms=%d max_ms=%d", mode, n,
                percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted.getLast()),
                phaseLine.toString());
    }

    private record Sample(long millis, Map<String, Long> phases) {
    }

    /** One deployment, created to RUNNING as the user sees it, then deleted and awaited stopped. */
    private Sample once(String token, String mode, String suffix) throws Exception {
        String name = "bench-" + mode.charAt(0) + "-" + suffix + "-" + Long.toString(System.nanoTime(), 36);
        Map<String, Object> body = Map.of("name", name, "image", platform.environment().get("NANOFLEET_DEMO_IMAGE"),
                "replicas", 1, "resources", Map.of("cpuMillis", 100, "memoryMiB", 64), "isolation", mode.equals(
                        "shared") ? "shared" : "hardware",
                "command", COMMAND);
        long began = System.nanoTime();
        String id = given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post(platform.api + "/v1/deployments").then().statusCode(201).extract().path("id");
        JsonPath running = awaitState(token, id, "running", Duration.ofMinutes(3));
        long millis = (System.nanoTime() - began) / 1_000_000;
        Map<String, Long> phases = phases(running);
        given().auth().oauth2(token).delete(platform.api + "/v1/deployments/" + id).then().statusCode(202);
        awaitState(token, id, "stopped", Duration.ofMinutes(1));
        return new Sample(millis, phases);
    }

    private JsonPath awaitState(String token, String id, String state, Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            JsonPath answer = given().auth().oauth2(token).get(platform.api + "/v1/deployments/" + id).then()
                    .statusCode(200).extract().jsonPath();
            String now = answer.getString("instances[0].state");
            if (state.equals(now)) {
                return answer;
            }
            if ("failed".equals(now) || "unschedulable".equals(now)) {
                throw new IllegalStateException("deployment " + id + " is " + now + ": "
                        + answer.getString("instances[0].reason"));
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("deployment " + id + " not " + state + " within " + deadline
                        + " (last: " + now + ")");
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /** The phases of the instance's start timeline, in ms (as control-api's StartPhases makes them). */
    private static Map<String, Long> phases(JsonPath deployment) {
        Map<String, Instant> t = new LinkedHashMap<>();
        for (String moment : List.of("acceptedAt", "relayedAt", "placedAt", "deliveredAt", "pulledAt", "startedAt",
                "reportedAt")) {
            String value = deployment.getString("instances[0].timeline." + moment);
            if (value != null) {
                t.put(moment, Instant.parse(value));
            }
        }
        Map<String, Long> phases = new LinkedHashMap<>();
        put(phases, "relay", t.get("acceptedAt"), t.get("relayedAt"));
        put(phases, "schedule", t.get("relayedAt"), t.get("placedAt"));
        put(phases, "deliver", t.get("placedAt"), t.get("deliveredAt"));
        put(phases, "pull", t.get("deliveredAt"), t.get("pulledAt"));
        put(phases, "start", t.get("pulledAt"), t.get("startedAt"));
        put(phases, "report", t.get("startedAt"), t.get("reportedAt"));
        put(phases, "total", t.get("acceptedAt"), t.get("reportedAt"));
        return phases;
    }

    private static void put(Map<String, Long> phases, String phase, Instant from, Instant to) {
        if (from != null && to != null) {
            phases.put(phase, Duration.between(from, to).toMillis());
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}

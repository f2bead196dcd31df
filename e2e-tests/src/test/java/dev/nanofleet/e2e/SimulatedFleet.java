package dev.nanofleet.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.events.EventCodec;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.Resources;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Many {@link SimulatedNode}s in this JVM against a real control-api: join tokens made as an operator (a token allows
 * at most 1,000 enrollments, so one per 900 nodes, with uses to spare for retries), enrollment and registration with bounded concurrency, then
 * each node's heartbeat (every {@code heartbeat} interval, the nodes' first beats spread over it), its reconcile tick
 * and its assignment watch. Keeps the latency of every kind of node request ({@link #latency}), the failures, and when
 * each instance was reported RUNNING. Sockets: one per open watch plus the pooled connections of the other requests,
 * spread over a few HTTP/1.1 clients. Requests other than the watches are capped fleet-wide ({@code maxInFlight}):
 * 10,000 nodes each with a heartbeat and a fetch under way would open 20,000 more connections once control-api falls
 * behind, past the open-files limit of both processes, and its timeouts would only add more. Thread-safe;
 * {@link #close()} stops every node.
 */
final class SimulatedFleet implements AutoCloseable {

    /** The label every simulated node registers with. */
    static final String LABEL = "nanofleet.dev/simulated";
    /** What a join token allows at most (control-api's JoinTokenRules.MAX_USES). */
    static final int MAX_TOKEN_USES = 1000;
    private static final int NODES_PER_TOKEN = 900;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** How the simulated nodes behave; the defaults are node-agent's. */
    record Settings(Resources allocatable, Duration heartbeat, Duration reconcile, Duration resync,
            List<InstanceState> startReports, int clients, int maxInFlight) {

        static Settings agentDefaults() {
            return new Settings(new Resources(1000, 2048), Duration.ofSeconds(5), Duration.ofSeconds(2),
                    Duration.ofSeconds(30), List.of(InstanceState.PULLING, InstanceState.STARTING,
                            InstanceState.RUNNING),
                    4, 256);
        }

        Settings withAllocatable(Resources node) {
            return new Settings(node, heartbeat, reconcile, resync, startReports, clients, maxInFlight);
        }

        Settings withClients(int httpClients, int inFlight) {
            return new Settings(allocatable, heartbeat, reconcile, resync, startReports, httpClients, inFlight);
        }

        Settings withStartReports(List<InstanceState> states) {
            return new Settings(allocatable, heartbeat, reconcile, resync, states, clients, maxInFlight);
        }
    }

    /** An instance some simulated node reported RUNNING (control-api answered 204), when, by this JVM's clock. */
    record Running(String node, Instant at) {
    }

    private final String api;
    private final Settings settings;
    private final ObjectMapper mapper = EventCodec.mapper();
    private final List<HttpClient> clients = new ArrayList<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "simulated-fleet-timer");
        t.setDaemon(true);
        return t;
    });
    private final List<SimulatedNode> nodes = new ArrayList<>();
    private final List<ScheduledFuture<?>> loops = new ArrayList<>();
    private final Map<String, LatencyHistogram> latencies = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();
    private final Map<java.util.UUID, Running> running = new ConcurrentHashMap<>();
    private final AtomicLong runningCount = new AtomicLong();
    private final Random random = new Random(42);
    private final Semaphore inFlight;
    private final Semaphore heartbeatsInFlight;

    SimulatedFleet(String api, Settings settings) {
        this.api = api;
        this.settings = settings;
        this.inFlight = new Semaphore(settings.maxInFlight());
        this.heartbeatsInFlight = new Semaphore(settings.maxInFlight());
        for (int i = 0; i < settings.clients(); i++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).executor(executor).build());
        }
    }

    /**
     * Adds {@code count} nodes named {@code prefix-00001}...: makes join tokens with {@code opsToken}, enrolls and
     * registers them ({@code concurrency} at a time), starts their loops and waits until every one holds its watch.
     */
    void join(int count, String prefix, Supplier<String> opsToken, int concurrency, Duration deadline)
            throws Exception {
        // 900 nodes per token: uses to spare for enrollments that timed out here but went through there
        List<String> tokens = new ArrayList<>();
        for (int left = count; left > 0; left -= NODES_PER_TOKEN) {
            tokens.add(joinToken(opsToken.get(), MAX_TOKEN_USES));
        }
        int first = nodes.size();
        List<SimulatedNode> joined = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            joined.add(new SimulatedNode(this, clients.get((first + i) % clients.size()),
                    String.format("%s-%05d", prefix, first + i + 1)));
        }
        Semaphore inFlight = new Semaphore(concurrency); // enrollments at once
        List<Future<?>> enrolled = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SimulatedNode node = joined.get(i);
            String token = tokens.get(i / NODES_PER_TOKEN);
            inFlight.acquire();
            enrolled.add(executor.submit(() -> {
                try {
                    retried(node.name + " enrollment", () -> node.enroll(token));
                    retried(node.name + " registration", () -> node.register(settings.allocatable()));
                } finally {
                    inFlight.release();
                }
                return null;
            }));
        }
        for (Future<?> f : enrolled) {
            f.get();
        }
        synchronized (nodes) {
            nodes.addAll(joined);
        }
        long heartbeatMs = settings.heartbeat().toMillis();
        long reconcileMs = settings.reconcile().toMillis();
        for (SimulatedNode node : joined) {
            // spread over the interval, as machines started at different times would be
            loops.add(timer.scheduleAtFixedRate(() -> execute(node::heartbeat), random.nextLong(heartbeatMs),
                    heartbeatMs, TimeUnit.MILLISECONDS));
            loops.add(timer.scheduleWithFixedDelay(() -> execute(node::tick), random.nextLong(reconcileMs),
                    reconcileMs, TimeUnit.MILLISECONDS));
            node.openWatch();
        }
        long end = System.nanoTime() + deadline.toNanos();
        while (joined.stream().anyMatch(n -> !n.watching())) {
            if (System.nanoTime() > end) {
                long open = joined.stream().filter(SimulatedNode::watching).count();
                throw new IllegalStateException(open + " of " + count + " simulated nodes hold their watch after "
                        + deadline + "; failures: " + failures());
            }
            Thread.sleep(100);
        }
    }

    /**
     * Runs {@code step} until it succeeds, at most 5 times, 1 s doubling between tries: the agent retries its
     * enrollment and registration with a back-off too, and an overloaded control-api times some out. Each failed try
     * is counted under {@code retry}.
     */
    private void retried(String what, Runnable step) throws InterruptedException {
        Duration wait = Duration.ofSeconds(1);
        for (int attempt = 1;; attempt++) {
            try {
                step.run();
                return;
            } catch (IllegalStateException e) {
                if (attempt == 5) {
                    throw e;
                }
                failed("retry", what + ": " + e.getMessage());
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2);
            }
        }
    }

    /** {@code POST /v1/node-join-tokens} as an operator; the token's secret. */
    private String joinToken(String opsToken, int uses) throws Exception {
        String body = json(Map.of("uses", uses, "ttlSeconds", 3600, "description", "simulated fleet"));
        HttpResponse<String> r = clients.getFirst().send(HttpRequest.newBuilder(URI.create(api
                + "/v1/node-join-tokens")).timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + opsToken)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("join token refused: " + r.statusCode() + " " + r.body());
        }
        return tree(r.body()).path("secret").asText();
    }

    String api() {
        return api;
    }

    Duration resyncInterval() {
        return settings.resync();
    }

    List<InstanceState> startReports() {
        return settings.startReports();
    }

    /** The names of every simulated node. */
    Set<String> names() {
        synchronized (nodes) {
            return nodes.stream().map(n -> n.name).collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
    }

    int size() {
        synchronized (nodes) {
            return nodes.size();
        }
    }

    /** How many open watches the fleet holds now. */
    long watching() {
        synchronized (nodes) {
            return nodes.stream().filter(SimulatedNode::watching).count();
        }
    }

    /** Instances the nodes hold as RUNNING now (reported RUNNING and not stopped since). */
    int runningNow() {
        synchronized (nodes) {
            return nodes.stream().mapToInt(SimulatedNode::running).sum();
        }
    }

    /** Instances reported RUNNING so far (each once). */
    long runningCount() {
        return runningCount.get();
    }

    Running running(java.util.UUID instance) {
        return running.get(instance);
    }

    void reportedRunning(java.util.UUID instance, String node) {
        if (running.putIfAbsent(instance, new Running(node, Instant.now())) == null) {
            runningCount.incrementAndGet();
        }
    }

    LatencyHistogram latency(String kind) {
        return latencies.computeIfAbsent(kind, k -> new LatencyHistogram());
    }

    /** Per kind of node request: {@code kind n=.. p50=.. p99=.. max=..}. */
    Map<String, String> latencies() {
        Map<String, String> out = new TreeMap<>();
        latencies.forEach((kind, h) -> out.put(kind, h.summary()));
        return out;
    }

    /** Per kind: how many failed, and the last failure. */
    Map<String, String> failures() {
        Map<String, String> out = new TreeMap<>();
        failures.forEach((kind, n) -> out.put(kind, n.sum() + " (last: " + lastFailure.get(kind) + ")"));
        return out;
    }

    long failureCount() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    void failed(String kind, String what) {
        failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
        lastFailure.put(kind, what.length() > 300 ? what.substring(0, 300) : what);
    }

    /**
     * One node request, timed under {@code kind} (from when it got one of the fleet's {@code maxInFlight} places, so
     * the time waited for a place is not counted; heartbeats have {@code maxInFlight} places of their own); null (and
     * a failure counted) when it could not be sent.
     */
    HttpResponse<String> call(String kind, HttpClient http, HttpRequest.Builder request) {
        // heartbeats have places of their own: a node's beat does not wait behind other nodes' fetches and reports
        // (each agent has its own connection), or a slow control-api would see whole nodes fall silent and lose them
        Semaphore places = kind.equals("heartbeat") ? heartbeatsInFlight : inFlight;
        try {
            places.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            return timed(kind, http, request);
        } finally {
            places.release();
        }
    }

    private HttpResponse<String> timed(String kind, HttpClient http, HttpRequest.Builder request) {
        long began = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(request.timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            latency(kind).record(System.nanoTime() - began);
            return r;
        } catch (IOException e) {
            failed(kind, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    void execute(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    failed("task", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    void schedule(Runnable task, Duration delay) {
        try {
            timer.schedule(() -> execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    <T> T read(String body, Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    JsonNode tree(String body) {
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Stops every loop and watch; the nodes stay registered in control-api (they go NOT_READY, then LOST). */
    @Override
    public void close() {
        loops.forEach(l -> l.cancel(false));
        synchronized (nodes) {
            nodes.forEach(SimulatedNode::close);
        }
        timer.shutdownNow();
        executor.shutdownNow();
        clients.forEach(HttpClient::shutdownNow);
    }
}

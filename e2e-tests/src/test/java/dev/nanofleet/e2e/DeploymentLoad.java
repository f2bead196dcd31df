package dev.nanofleet.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.events.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tenants creating deployments as fast as they can: {@code clients} concurrent callers take deployments of 1-5
 * replicas (seeded) from one plan until it holds the replicas asked for, the tenants taking turns, each a {@code POST /v1/deployments} as its
 * tenant. A 429 (the tenant's rate limit) waits its {@code Retry-After} and tries again, counted. Then reads each
 * deployment back once ({@code GET /v1/deployments/{id}}) for its instances' nodes, states and start timelines.
 */
final class DeploymentLoad {

    /** Ends at once on TERM (it never runs here: the nodes are simulated). */
    private static final List<String> COMMAND = List.of("/bin/sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** Who creates: a user's access token and the isolation its deployments ask for ({@code shared}, {@code auto}). */
    record Tenant(String user, String token, String isolation) {
        @Override
        public String toString() {
            return "Tenant[" + user + ", " + isolation + "]";
        }
    }

    /** One created deployment: when its create request began (this JVM's clock) and how long it took. */
    record Created(UUID id, Tenant tenant, int replicas, Instant began, long latencyNanos) {
    }

    /** One replica as the API shows it, with its start timeline's moments (null where not reached). */
    record Replica(Created deployment, UUID id, String state, String node, Map<String, Instant> timeline) {
    }

    private final HttpClient http;
    private final String api;
    private final String image;
    private final ObjectMapper mapper = EventCodec.mapper();
    private final LatencyHistogram createLatency = new LatencyHistogram();
    private final LongAdder rateLimited = new LongAdder();

    DeploymentLoad(HttpClient http, String api, String image) {
        this.http = http;
        this.api = api;
        this.image = image;
    }

    LatencyHistogram createLatency() {
        return createLatency;
    }

    long rateLimited() {
        return rateLimited.sum();
    }

    /**
     * Creates deployments holding {@code replicas} replicas in all, the tenants taking turns, by {@code clients}
     * concurrent callers.
     */
    List<Created> create(List<Tenant> tenants, int replicas, int clients, String prefix, long seed)
            throws Exception {
        Random random = new Random(seed);
        ConcurrentLinkedQueue<Map.Entry<Tenant, Integer>> plan = new ConcurrentLinkedQueue<>();
        for (int left = replicas; left > 0;) {
            int n = Math.min(left, 1 + random.nextInt(5));
            plan.add(Map.entry(tenants.get(plan.size() % tenants.size()), n));
            left -= n;
        }
        List<Created> created = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(callers.submit(() -> {
                    for (Map.Entry<Tenant, Integer> next = plan.poll(); next != null; next = plan.poll()) {
                        created.add(createOne(next.getKey(), next.getValue(), prefix + "-"
                                + sequence.incrementAndGet()));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        return created;
    }

    private Created createOne(Tenant tenant, int replicas, String name) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("image", image);
        body.put("replicas", replicas);
        body.put("resources", Map.of("cpuMillis", 100, "memoryMiB", 64));
        body.put("isolation", tenant.isolation());
        body.put("command", COMMAND);
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/v1/deployments")).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + tenant.token()).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(json(body))).build();
        while (true) {
            Instant began = Instant.now();
            long start = System.nanoTime();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - start;
            if (r.statusCode() == 429) {
                rateLimited.increment();
                long wait = r.headers().firstValueAsLong("Retry-After").orElse(1);
                Thread.sleep(Math.max(100, wait * 1000));
                continue;
            }
            createLatency.record(took);
            if (r.statusCode() != 201) {
                throw new IllegalStateException(tenant + " could not create " + name + ": " + r.statusCode() + " "
                        + r.body());
            }
            return new Created(UUID.fromString(tree(r.body()).path("id").asText()), tenant, replicas, began, took);
        }
    }

    /** Every replica of these deployments as the API shows it now, {@code concurrency} reads at a time. */
    List<Replica> replicas(List<Created> deployments, int concurrency) throws Exception {
        List<Replica> out = Collections.synchronizedList(new ArrayList<>());
        ConcurrentLinkedQueue<Created> todo = new ConcurrentLinkedQueue<>(deployments);
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(readers.submit(() -> {
                    for (Created d = todo.poll(); d != null; d = todo.poll()) {
                        out.addAll(read(d));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        return out;
    }

    private List<Replica> read(Created d) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/v1/deployments/" + d.id()))
                .timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + d.tenant().token())
                .header("Accept", "application/json").GET().build();
        while (true) {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 429) {
                rateLimited.increment();
                Thread.sleep(Math.max(100, r.headers().firstValueAsLong("Retry-After").orElse(1) * 1000));
                continue;
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET deployment " + d.id() + ": " + r.statusCode() + " " + r.body());
            }
            List<Replica> replicas = new ArrayList<>();
            for (JsonNode instance : tree(r.body()).path("instances")) {
                Map<String, Instant> timeline = new LinkedHashMap<>();
                instance.path("timeline").fields().forEachRemaining(e -> {
                    if (e.getValue().isTextual()) {
                        timeline.put(e.getKey(), Instant.parse(e.getValue().asText()));
                    }
                });
                replicas.add(new Replica(d, UUID.fromString(instance.path("id").asText()), instance.path("state")
                        .asText(null), instance.path("node").asText(null), timeline));
            }
            return replicas;
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode tree(String body) {
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON: " + e.getOriginalMessage(), e);
        }
    }
}

package dev.nanofleet.e2e.chaos;

import dev.nanofleet.e2e.chaos.ChaosApi.Answer;
import dev.nanofleet.e2e.chaos.ChaosModel.Expected;
import dev.nanofleet.e2e.chaos.ChaosModel.RetriedCreate;
import dev.nanofleet.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A steady stream of creates, scales and deletes: one virtual thread per {@link Worker}, each owning its deployments,
 * paced by a token bucket. Every change is retried until the API answers it, across outages: a create with the same
 * {@code Idempotency-Key}, a scale with the same absolute count, a delete again (a 404 after an unanswered attempt means
 * that attempt deleted it). What the API answered goes into the {@link Ledger}.
 */
public final class Workload implements AutoCloseable {

    /** How long one change may take to be answered: an outage, the component's restart and its catch-up. */
    static final Duration ANSWER_DEADLINE = Duration.ofMinutes(5);
    /** Ends at once on TERM, so a delete takes no stop grace period. */
    static final List<String> COMMAND = List.of("/bin/sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait");

    /**
     * One stream of changes by {@code user}: at most {@code maxDeployments} deployments of 1..{@code maxReplicas}
     * replicas in {@code isolation}, one change every {@code every}.
     */
    public record Worker(String user, String isolation, int maxDeployments, int maxReplicas, int cpuMillis,
            int memoryMiB, Duration every) {
    }

    private final ChaosApi api;
    private final Ledger ledger;
    private final String image;
    private final String prefix;
    private final List<Worker> workers;
    private final long seed;
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** Held shared by every change in flight; {@link #pause} takes it exclusively. */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Semaphore> buckets = new ArrayList<>();

    public Workload(ChaosApi api, Ledger ledger, String image, String prefix, List<Worker> workers, long seed) {
        this.api = api;
        this.ledger = ledger;
        this.image = image;
        this.prefix = prefix;
        this.workers = List.copyOf(workers);
        this.seed = seed;
    }

    public void start() {
        for (int w = 0; w < workers.size(); w++) {
            Worker worker = workers.get(w);
            Semaphore permits = new Semaphore(0);
            buckets.add(permits);
            // the bucket holds one change at most: a worker that was held up does not burst afterwards
            ticks.scheduleAtFixedRate(() -> {
                if (permits.availablePermits() == 0) {
                    permits.release();
                }
            }, 0, worker.every().toMillis(), TimeUnit.MILLISECONDS);
            Random random = new Random(seed + w);
            String name = prefix + "w" + w + "-";
            threads.add(Thread.ofVirtual().name("chaos-worker-" + w).start(() -> run(worker, name, permits, random)));
        }
    }

    /** Waits until changes in flight are answered and holds further ones until {@link #resume}. */
    public void pause() {
        gate.writeLock().lock();
    }

    public void resume() {
        gate.writeLock().unlock();
    }

    private void run(Worker worker, String namePrefix, Semaphore permits, Random random) {
        int n = 0;
        while (!stopped.get()) {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                return;
            }
            gate.readLock().lock();
            try {
                if (!stopped.get()) {
                    step(worker, namePrefix, namePrefix + n++, random);
                }
            } catch (RuntimeException | AssertionError e) {
                ledger.unexpected(worker.user() + ": " + e.getMessage());
            } finally {
                gate.readLock().unlock();
            }
        }
    }

    private void step(Worker worker, String namePrefix, String name, Random random) {
        List<Expected> mine = ledger.live(worker.user()).stream().filter(e -> e.name().startsWith(namePrefix))
                .toList();
        double roll = random.nextDouble();
        if (mine.isEmpty() || (mine.size() < worker.maxDeployments() && roll < 0.45)) {
            create(worker, name, 1 + random.nextInt(worker.maxReplicas()));
        } else if (roll < 0.8) {
            Expected target = mine.get(random.nextInt(mine.size()));
            int replicas = 1 + random.nextInt(worker.maxReplicas());
            if (replicas == target.replicas()) {
                replicas = replicas % worker.maxReplicas() + 1;
            }
            if (replicas != target.replicas()) {
                scale(worker, target, replicas);
            }
        } else {
            delete(worker, mine.get(random.nextInt(mine.size())));
        }
    }

    private void create(Worker worker, String name, int replicas) {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("image", image);
        body.put("replicas", replicas);
        body.put("resources", Map.of("cpuMillis", worker.cpuMillis(), "memoryMiB", worker.memoryMiB()));
        body.put("isolation", worker.isolation());
        body.put("command", COMMAND);
        Attempts attempts = new Attempts();
        Answer answer = untilAnswered("create " + name, attempts,
                () -> api.send(worker.user(), "POST", "/v1/deployments", body, Map.of("Idempotency-Key", key)));
        switch (answer.status()) {
            case 201 -> {
                UUID id = UUID.fromString(answer.body().path("id").asText());
                ledger.created(worker.user(), id, name, replicas, worker.cpuMillis());
                if (attempts.unanswered > 0) {
                    ledger.retriedCreate(new RetriedCreate(worker.user(), name, key, id));
                }
            }
            case 402, 422 -> ledger.refused();
            default -> ledger.unexpected("create " + name + ": HTTP " + answer.status() + " " + answer.body());
        }
    }

    private void scale(Worker worker, Expected target, int replicas) {
        Attempts attempts = new Attempts();
        Answer answer = untilAnswered("scale " + target.name(), attempts, () -> api.send(worker.user(), "PATCH",
                "/v1/deployments/" + target.id(), Map.of("replicas", replicas), Map.of()));
        boolean appliedBefore = attempts.unanswered > 0 && answer.status() == 400
                && String.valueOf(answer.body()).contains("nothing to change");
        if (answer.status() == 200 || appliedBefore) {
            ledger.scaled(target.id(), replicas);
        } else if (answer.status() == 402 || answer.status() == 422) {
            ledger.refused();
        } else {
            ledger.unexpected("scale " + target.name() + " to " + replicas + ": HTTP " + answer.status() + " "
                    + answer.body());
        }
    }

    private void delete(Worker worker, Expected target) {
        Attempts attempts = new Attempts();
        Answer answer = untilAnswered("delete " + target.name(), attempts,
                () -> api.send(worker.user(), "DELETE", "/v1/deployments/" + target.id(), null, Map.of()));
        boolean deletedBefore = attempts.unanswered > 0 && (answer.status() == 404 || answer.status() == 409);
        if (answer.status() == 202 || answer.status() == 204 || deletedBefore) {
            ledger.deleted(target.id());
        } else {
            ledger.unexpected("delete " + target.name() + ": HTTP " + answer.status() + " " + answer.body());
        }
    }

    /** How many attempts of one change got no answer, or an answer that says "try again". */
    private static final class Attempts {
        int unanswered;
    }

    /**
     * Sends until an answer that is not "try again" (no answer, 5xx, 429, 401 with a renewed token next time):
     * {@link Await} polls every 100 to 250 ms, the back-off of a client riding out an outage.
     */
    private static Answer untilAnswered(String what, Attempts attempts,
            java.util.function.Supplier<Optional<Answer>> send) {
        return Await.value(ANSWER_DEADLINE, what + " answered", () -> {
            Optional<Answer> answer = send.get();
            if (answer.isEmpty() || answer.get().status() >= 500 || answer.get().status() == 429
                    || answer.get().status() == 401) {
                attempts.unanswered++;
                return null;
            }
            return answer.get();
        });
    }

    @Override
    public void close() {
        stopped.set(true);
        ticks.shutdownNow();
        // wakes a worker waiting for its next change; one answering a change finishes it first
        buckets.forEach(Semaphore::release);
        for (Thread t : threads) {
            try {
                t.join(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

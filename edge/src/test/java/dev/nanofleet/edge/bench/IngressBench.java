package dev.nanofleet.edge.bench;

import com.sun.net.httpserver.HttpServer;
import dev.nanofleet.edge.BenchEdge;
import dev.nanofleet.edge.core.Backend;
import dev.nanofleet.testsupport.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the edge costs: {@code ./fleet bench ingress [-Dbench.connections=16] [-Dbench.seconds=10]
 * [-Dbench.rounds=3] [-Dbench.warmup-seconds=5] [-Dbench.haproxy-cpus=1]}; with {@code haproxy-cpus} HAProxy is pinned to those
 * cores (run the bench itself under {@code taskset -c} on the others to keep them apart). Not a test; {@code IngressBenchIT} runs a short form of it.
 *
 * <p>
 * One replica (the JDK's HTTP server on a thread pool, a fixed 19-byte answer) behind HAProxy started by the edge's
 * own code with the configuration the edge renders for one deployment ({@link BenchEdge}). The same closed-loop load
 * (N keep-alive clients, each sending its next GET as soon as the last answer is read, one virtual thread per client)
 * is sent three ways, taking turns for {@code rounds} rounds, each path with a warm-up in the first round whose requests
 * are not counted:
 * <ol>
 * <li>{@code direct}: plain HTTP straight to the replica's port;</li>
 * <li>{@code edge}: HTTPS to the edge with SNI and Host {@code hello-globex.apps.localhost}, the certificate checked
 * against the local CA's root, as a tenant's visitor comes in;</li>
 * <li>{@code edge_http}: plain HTTP through the same routing without TLS (a copy of the HTTPS frontend), so TLS's
 * share of the cost shows.</li>
 * </ol>
 * Load generator, proxy and replica share the machine's cores, as they would not in production: the ratios are what
 * to read, not the absolute rates, and each path also reports the cores HAProxy and this JVM used while it was
 * measured ({@code _haproxy_cores}, {@code _jvm_cores}) to show where the machine's CPU went. The last line printed is the summary, {@code ingress connections=... seconds=...
 * direct_rps=... direct_p99_ms=... edge_rps=... edge_p99_ms=... edge_ratio=... load_avg="..."}, where
 * {@code load_avg} is the machine's load average before the run started (how busy it was anyway).
 */
public final class IngressBench {

    private static final byte[] ANSWER = "hello from replica\n".getBytes(StandardCharsets.US_ASCII);
    private static final Duration READY_DEADLINE = Duration.ofSeconds(30);
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    /** A client waits this long for an answer at most, so a stuck path ends the run instead of hanging it. */
    private static final int READ_TIMEOUT_MS = 10_000;

    private IngressBench() {
    }

    /** How hard and how long to drive each path, in how many rounds. */
    public record Settings(int connections, int seconds, int warmupSeconds, int rounds, String haproxyCpus) {

        /** One round, HAProxy on whatever cores the kernel gives it. */
        public Settings(int connections, int seconds, int warmupSeconds) {
            this(connections, seconds, warmupSeconds, 1, "");
        }

        public Settings {
            if (connections < 1 || seconds < 1 || warmupSeconds < 0 || rounds < 1) {
                throw new IllegalArgumentException("bench.connections, bench.seconds and bench.rounds must be at least"
                        + " 1 and bench.warmup-seconds at least 0, not " + connections + ", " + seconds + ", "
                        + rounds + ", " + warmupSeconds);
            }
            if (!haproxyCpus.matches("[0-9,-]*")) {
                throw new IllegalArgumentException("bench.haproxy-cpus is a CPU list such as 1 or 2-3, not '"
                        + haproxyCpus + "'");
            }
        }

        static Settings fromSystemProperties() {
            return new Settings(Integer.getInteger("bench.connections", 16), Integer.getInteger("bench.seconds", 10),
                    Integer.getInteger("bench.warmup-seconds", 5), Integer.getInteger("bench.rounds", 3),
                    System.getProperty("bench.haproxy-cpus", ""));
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(run(Settings.fromSystemProperties()));
    }

    /** Runs the three paths and returns the summary line (the progress goes to standard error). */
    public static String run(Settings settings) throws Exception {
        String loadBefore = loadAverage();
        Path data = Files.createTempDirectory("nanofleet-ingress-bench-");
        ExecutorService replicaThreads = Executors.newFixedThreadPool(Math.max(2, settings.connections()));
        HttpServer replica = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        replica.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, ANSWER.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(ANSWER);
            }
        });
        replica.setExecutor(replicaThreads);
        replica.start();
        int replicaPort = replica.getAddress().getPort();
        try (BenchEdge edge = BenchEdge.start(data, "globex", "hello", new Backend("127.0.0.1", replicaPort))) {
            if (!settings.haproxyCpus().isEmpty()) {
                edge.pin(settings.haproxyCpus());
            }
            SSLSocketFactory tls = trusting(edge.rootCertificate());
            Target direct = new Target("direct", replicaPort, "127.0.0.1:" + replicaPort, null);
            Target https = new Target("edge", edge.httpsPort(), edge.hostname(), tls);
            Target plain = new Target("edge_http", edge.plainHttpPort(), edge.hostname(), null);
            for (Target target : List.of(direct, https, plain)) {
                Await.until(READY_DEADLINE, target.name() + " answering 200 (HAProxy log: " + edge.log() + ")",
                        () -> target.answersOnce());
            }
            // the paths take turns, round after round, so a drift of the machine (the JIT, other work) falls on all
            // three alike; each ratio is the median of its rounds' ratios, each taken from neighbouring minutes
            List<Run> d = new ArrayList<>();
            List<Run> e = new ArrayList<>();
            List<Run> h = new ArrayList<>();
            for (int round = 0; round < settings.rounds(); round++) {
                int warmup = round == 0 ? settings.warmupSeconds() : 0;
                d.add(drive(direct, settings, warmup, edge::haproxyCpuNanos));
                e.add(drive(https, settings, warmup, edge::haproxyCpuNanos));
                h.add(drive(plain, settings, warmup, edge::haproxyCpuNanos));
            }
            return String.format(Locale.ROOT,
                    "ingress connections=%d seconds=%d warmup_seconds=%d rounds=%d%s %s %s edge_ratio=%.2f %s"
                            + " edge_http_ratio=%.2f load_avg=\"%s\"",
                    settings.connections(), settings.seconds(), settings.warmupSeconds(), settings.rounds(),
                    settings.haproxyCpus().isEmpty() ? "" : " haproxy_cpus=" + settings.haproxyCpus(),
                    Figures.of(d).keyValues(), Figures.of(e).keyValues(), medianRatio(e, d),
                    Figures.of(h).keyValues(), medianRatio(h, d), loadBefore);
        } finally {
            replica.stop(0);
            replicaThreads.shutdownNow();
            deleteTree(data);
        }
    }

    /** The median over rounds of a path's rate over the direct rate of the same round. */
    static double medianRatio(List<Run> path, List<Run> direct) {
        double[] ratios = new double[path.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = direct.get(i).rps() == 0 ? 0 : path.get(i).rps() / direct.get(i).rps();
        }
        Arrays.sort(ratios);
        int mid = ratios.length / 2;
        return ratios.length % 2 == 1 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2;
    }

    /** One path driven once: each counted request's latency, the failures, and the CPU HAProxy and this JVM used. */
    record Run(String name, long[] latencies, long errors, int seconds, double haproxyCores, double jvmCores) {

        double rps() {
            return latencies.length / (double) seconds;
        }
    }

    /**
     * One path's figures over all its rounds' measured seconds; {@code haproxyCores} and {@code jvmCores} are the CPU
     * HAProxy and this JVM (load generator and replica together) used then, in cores (of the machine's 2).
     */
    record Figures(String name, long requests, long errors, double rps, double p50Ms, double p99Ms,
            double haproxyCores, double jvmCores) {

        static Figures of(List<Run> runs) {
            long[] latencies = runs.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).sorted().toArray();
            int seconds = runs.stream().mapToInt(Run::seconds).sum();
            return new Figures(runs.getFirst().name(), latencies.length, runs.stream().mapToLong(Run::errors).sum(),
                    latencies.length / (double) seconds, percentileMs(latencies, 0.50), percentileMs(latencies, 0.99),
                    runs.stream().mapToDouble(r -> r.haproxyCores() * r.seconds()).sum() / seconds,
                    runs.stream().mapToDouble(r -> r.jvmCores() * r.seconds()).sum() / seconds);
        }

        String keyValues() {
            return String.format(Locale.ROOT,
                    "%1$s_rps=%2$.0f %1$s_p50_ms=%3$.2f %1$s_p99_ms=%4$.2f %1$s_errors=%5$d %1$s_haproxy_cores=%6$.2f"
                            + " %1$s_haproxy_us_per_request=%7$.1f %1$s_jvm_cores=%8$.2f"
                            + " %1$s_jvm_us_per_request=%9$.1f",
                    name, rps, p50Ms, p99Ms, errors, haproxyCores, perRequestMicros(haproxyCores), jvmCores,
                    perRequestMicros(jvmCores));
        }

        /**
         * CPU for one request: HAProxy's is what the edge costs whatever else shares its cores; this JVM's (client and
         * replica) grows on the edge paths by the client's own TLS work, which a visitor's machine would do.
         */
        double perRequestMicros(double cores) {
            return rps == 0 ? 0 : cores * 1e6 / rps;
        }
    }

    /** Warm-up, then the measured seconds, with {@code connections} clients at once; all clients end by themselves. */
    private static Run drive(Target target, Settings settings, int warmupSeconds, LongSupplier haproxyCpuNanos)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + Duration.ofSeconds(warmupSeconds).toNanos();
        long end = measureFrom + Duration.ofSeconds(settings.seconds()).toNanos();
        List<Client> clients = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < settings.connections(); i++) {
            Client client = new Client(target, measureFrom, end);
            clients.add(client);
            threads.add(Thread.ofVirtual().name("bench-" + target.name() + "-" + i).start(client));
        }
        // CPU used over the measured seconds only: a snapshot when the warm-up ends and one when the load ends
        sleepUntil(measureFrom);
        long haproxyFrom = haproxyCpuNanos.getAsLong();
        long jvmFrom = jvmCpuNanos();
        sleepUntil(end);
        double measuredNanos = Duration.ofSeconds(settings.seconds()).toNanos();
        double haproxyCores = haproxyFrom < 0 ? 0 : (haproxyCpuNanos.getAsLong() - haproxyFrom) / measuredNanos;
        double jvmCores = (jvmCpuNanos() - jvmFrom) / measuredNanos;
        for (Thread thread : threads) {
            thread.join();
        }
        long errors = clients.stream().mapToLong(c -> c.errors).sum();
        long[] latencies = clients.stream().flatMapToLong(c -> Arrays.stream(c.latencies, 0, c.count)).sorted()
                .toArray();
        Run run = new Run(target.name(), latencies, errors, settings.seconds(), haproxyCores, jvmCores);
        Figures figures = Figures.of(List.of(run));
        System.err.printf(Locale.ROOT,
                "%-9s %,d requests in %d s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors;"
                        + " cores used: haproxy %.2f (%.1f us a request), this JVM %.2f (%.1f us a request)%n",
                target.name(), figures.requests(), settings.seconds(), figures.rps(), figures.p50Ms(),
                figures.p99Ms(), errors, haproxyCores, figures.perRequestMicros(haproxyCores), jvmCores,
                figures.perRequestMicros(jvmCores));
        return run;
    }

    /** A timed pause of the run itself (the clients run on meanwhile), not a wait on a condition. */
    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double percentileMs(long[] sortedNanos, double quantile) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(quantile * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, index)] / 1e6;
    }

    /** One keep-alive client: a request, its answer, the next request; reconnects after an error. */
    private static final class Client implements Runnable {

        private final Target target;
        private final long measureFrom;
        private final long end;
        long[] latencies = new long[4096];
        int count;
        long errors;

        Client(Target target, long measureFrom, long end) {
            this.target = target;
            this.measureFrom = measureFrom;
            this.end = end;
        }

        @Override
        public void run() {
            Connection connection = null;
            while (System.nanoTime() < end) {
                long sent = System.nanoTime();
                try {
                    if (connection == null) {
                        connection = target.connect();
                    }
                    Answer answer = connection.get();
                    long answered = System.nanoTime();
                    if (answer.status() != 200) {
                        errors++;
                    } else if (sent >= measureFrom && answered <= end) {
                        record(answered - sent);
                    }
                    if (answer.close()) {
                        connection.close();
                        connection = null;
                    }
                } catch (IOException e) {
                    // every failed request counts, warm-up included: the figures are only worth it without them
                    errors++;
                    if (connection != null) {
                        connection.close();
                        connection = null;
                    }
                }
            }
            if (connection != null) {
                connection.close();
            }
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
    }

    /** Where a path's requests go: 127.0.0.1:port, with this Host (and SNI when {@code tls} is set). */
    private record Target(String name, int port, String host, SSLSocketFactory tls) {

        Connection connect() throws IOException {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
                socket.setSoTimeout(READ_TIMEOUT_MS);
                if (tls == null) {
                    return new Connection(socket, host);
                }
                String sniHost = host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
                SSLSocket secure = (SSLSocket) tls.createSocket(socket, sniHost, port, true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(sniHost)));
                // the certificate must name the hostname, as a browser checks it
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                return new Connection(secure, host);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        boolean answersOnce() throws IOException {
            Connection connection = connect();
            try {
                return connection.get().status() == 200;
            } finally {
                connection.close();
            }
        }
    }

    record Answer(int status, boolean close) {
    }

    /** HTTP/1.1 over one socket, with its own read buffer: just enough to read a Content-Length answer. */
    private static final class Connection {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] request;
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;

        Connection(Socket socket, String host) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.request = ("GET / HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: nanofleet-ingress-bench\r\n"
                    + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        Answer get() throws IOException {
            out.write(request);
            out.flush();
            String head = readHead();
            int lineEnd = head.indexOf("\r\n");
            String statusLine = lineEnd < 0 ? head : head.substring(0, lineEnd);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean close = parts[0].equals("HTTP/1.0");
            for (String header : head.substring(lineEnd + 2).split("\r\n")) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "connection" -> close = value.contains("close") || close && !value.contains("keep-alive");
                    case "transfer-encoding" -> throw new IOException("a chunked answer (the replica sends a length)");
                    default -> {
                    }
                }
            }
            if (length < 0) {
                throw new IOException("an answer without Content-Length");
            }
            skip(length);
            return new Answer(status, close);
        }

        /** The status line and headers, up to the blank line. */
        private String readHead() throws IOException {
            while (true) {
                for (int i = position; i + 3 < limit; i++) {
                    if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                        String head = new String(buffer, position, i - position, StandardCharsets.ISO_8859_1);
                        position = i + 4;
                        return head;
                    }
                }
                if (position > 0) {
                    System.arraycopy(buffer, position, buffer, 0, limit - position);
                    limit -= position;
                    position = 0;
                }
                if (limit == buffer.length) {
                    throw new IOException("an answer's head over " + buffer.length + " bytes");
                }
                fill();
            }
        }

        private void skip(long bytes) throws IOException {
            long left = bytes;
            while (left > 0) {
                if (position == limit) {
                    position = 0;
                    limit = 0;
                    fill();
                }
                int take = (int) Math.min(left, limit - position);
                position += take;
                left -= take;
            }
        }

        private void fill() throws IOException {
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                throw new IOException("the connection closed mid-answer");
            }
            limit += read;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a connection the run no longer uses: nothing to do
            }
        }
    }

    /** An SSL socket factory that trusts only the edge's local CA. */
    private static SSLSocketFactory trusting(Path rootCertificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream pem = Files.newInputStream(rootCertificate)) {
            trusted.setCertificateEntry("nanofleet-local-ca",
                    CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    /** The 1, 5 and 15 minute load averages, as {@code /proc/loadavg} gives them ("unknown" elsewhere). */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

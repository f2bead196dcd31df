package dev.nanofleet.edge;

import dev.nanofleet.edge.core.AppsDomain;
import dev.nanofleet.edge.core.Backend;
import dev.nanofleet.edge.core.DeploymentRoute;
import dev.nanofleet.edge.core.EdgeListeners;
import dev.nanofleet.edge.core.HaproxyConfig;
import dev.nanofleet.edge.core.RouteTable;
import dev.nanofleet.testsupport.HostTools;
import dev.nanofleet.testsupport.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The edge as it serves, for a benchmark: Debian's HAProxy started by {@link HaproxyProcess} with the configuration
 * {@link HaproxyConfig} renders for one deployment with one replica, TLS terminated with a certificate from the
 * {@link EdgeCa}. The one addition is a plain-HTTP frontend that is a copy of the HTTPS one without {@code ssl} (the
 * edge's own plain-HTTP port only redirects), so a benchmark can tell what TLS costs from what the proxying costs.
 */
public final class BenchEdge implements AutoCloseable {

    public static final String DOMAIN = "apps.localhost";
    private static final String HTTPS_FRONTEND = "frontend https\n";
    /** USER_HZ, which /proc's CPU times count in: 100 on every Linux this runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final HaproxyProcess haproxy;
    private final String hostname;
    private final Path rootCertificate;
    private final int httpsPort;
    private final int plainHttpPort;
    private final Path dir;

    private BenchEdge(HaproxyProcess haproxy, String hostname, Path rootCertificate, int httpsPort, int plainHttpPort,
            Path dir) {
        this.haproxy = haproxy;
        this.hostname = hostname;
        this.rootCertificate = rootCertificate;
        this.httpsPort = httpsPort;
        this.plainHttpPort = plainHttpPort;
        this.dir = dir;
    }

    /**
     * Starts HAProxy under {@code data} routing {@code <name>-<tenant>.apps.localhost} to {@code replica}.
     *
     * @throws IllegalStateException when haproxy or openssl is not installed
     */
    public static BenchEdge start(Path data, String tenant, String name, Backend replica)
            throws IOException, InterruptedException {
        Path binary = HostTools.get("haproxy");
        HostTools.get("openssl");
        EdgeCa ca = EdgeCa.local(data);
        Path pem = ca.serverPem(DOMAIN);
        Path dir = data.resolve("haproxy");
        Files.createDirectories(dir);
        Path errorPage = dir.resolve("503.http");
        Files.writeString(errorPage, NoRoutePage.response(DOMAIN));
        int[] ports = distinctFreePorts(3);
        EdgeListeners listeners = new EdgeListeners("127.0.0.1", ports[0], ports[1], pem, errorPage,
                dir.resolve("hosts.map"), dir.resolve("certificates.list"), dir.resolve("admin.sock"));
        AppsDomain domain = new AppsDomain(DOMAIN);
        String hostname = domain.hostname(name, tenant)
                .orElseThrow(() -> new IllegalArgumentException(name + "-" + tenant + " makes no hostname"));
        RouteTable table = RouteTable.of(
                List.of(new DeploymentRoute("6c1d3f0e-8a2b-4c5d-9e7f-0a1b2c3d4e5f", tenant, name, List.of(replica))),
                domain);
        HaproxyConfig.Rendered rendered = HaproxyConfig.render(table, listeners);
        HaproxyConfig.Rendered served = new HaproxyConfig.Rendered(
                withPlainHttpFrontend(rendered.config(), ports[2]), rendered.hostMap(), rendered.certificateList());
        HaproxyProcess haproxy = new HaproxyProcess(binary, dir, listeners.hostMap(), listeners.certificateList());
        haproxy.start(served);
        return new BenchEdge(haproxy, hostname, ca.certificate(), ports[0], ports[2], dir);
    }

    /**
     * The rendered configuration plus a copy of its HTTPS frontend (same headers, same host-map routing) bound to
     * {@code port} without TLS. Copied rather than written out so it follows whatever the edge renders.
     */
    static String withPlainHttpFrontend(String config, int port) {
        int start = config.indexOf(HTTPS_FRONTEND);
        if (start < 0) {
            throw new IllegalStateException("the rendered configuration has no HTTPS frontend");
        }
        int end = config.indexOf("\n\n", start);
        String https = config.substring(start, end < 0 ? config.length() : end + 1);
        String plain = https.replace(HTTPS_FRONTEND, "frontend bench-plain-http\n")
                .replaceFirst("(?m)^    bind .*$", "    bind 127.0.0.1:" + port);
        if (plain.contains(" ssl ")) {
            throw new IllegalStateException("could not take TLS out of the copied frontend:\n" + plain);
        }
        return config + "\n# benchmark only: the HTTPS frontend without TLS\n" + plain;
    }

    private static int[] distinctFreePorts(int count) {
        Set<Integer> ports = new HashSet<>();
        while (ports.size() < count) {
            ports.add(Ports.free());
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code <name>-<tenant>.apps.localhost}: what clients send as SNI and Host. */
    public String hostname() {
        return hostname;
    }

    /** The local CA's root, which signed the edge's certificate. */
    public Path rootCertificate() {
        return rootCertificate;
    }

    /** HTTPS on 127.0.0.1, as the edge serves. */
    public int httpsPort() {
        return httpsPort;
    }

    /** The same routing as {@link #httpsPort()} without TLS (benchmark only). */
    public int plainHttpPort() {
        return plainHttpPort;
    }

    /**
     * CPU time HAProxy (master and workers) has used so far, in nanoseconds, from {@code /proc} (Linux); -1 when it
     * cannot be read.
     */
    public long haproxyCpuNanos() {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("haproxy.pid")).strip());
            ProcessHandle master = ProcessHandle.of(pid).orElseThrow();
            long ticks = 0;
            for (ProcessHandle p : Stream.concat(Stream.of(master), master.descendants()).toList()) {
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                // the fields after the command name, which is in parentheses: state is field 3, utime 14, stime 15
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            }
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Pins HAProxy (master and workers, every thread) to {@code cpus}, a {@code taskset} list such as {@code 1}, so a
     * benchmark can give the edge cores of its own.
     */
    public void pin(String cpus) throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readString(dir.resolve("haproxy.pid")).strip());
        ProcessHandle master = ProcessHandle.of(pid).orElseThrow(() -> new IOException("haproxy does not run"));
        for (ProcessHandle p : Stream.concat(Stream.of(master), master.descendants()).toList()) {
            Process taskset = new ProcessBuilder(HostTools.get("taskset").toString(), "-a", "-p", "-c", cpus,
                    Long.toString(p.pid())).redirectErrorStream(true).start();
            String output = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (taskset.waitFor() != 0) {
                throw new IOException("taskset -c " + cpus + " " + p.pid() + " failed: " + output.strip());
            }
        }
    }

    /** HAProxy's log, for a failure message. */
    public Path log() {
        return dir.resolve("haproxy.log");
    }

    @Override
    public void close() throws InterruptedException {
        haproxy.close();
    }
}

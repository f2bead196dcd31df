package dev.nanofleet.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.edge.core.AppsDomain;
import dev.nanofleet.edge.core.EdgeListeners;
import dev.nanofleet.edge.core.RouteSync;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The edge from start to stop: prepares its certificate ({@link EdgeTls}), starts HAProxy with no routes (everything answers
 * 503), then keeps its routes in step with control-api: a full read at start, every {@code resync-interval}, and at
 * once after an event that may change them. Passes run one at a time on one thread; requests for a pass while one is
 * queued fold into it, and an event's pass waits {@link #EVENT_PASS_DELAY} first, so a burst of events (a deployment's
 * replicas starting, a node's instances moving) is read once.
 */
@ApplicationScoped
public class EdgeService {

    private static final Logger LOG = Logger.getLogger(EdgeService.class);
    /** Short against the "leaves within about a second" a stopped replica is promised, long against an event burst. */
    static final Duration EVENT_PASS_DELAY = Duration.ofMillis(200);

    private final EdgeConfig config;
    private final ObjectMapper json;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("edge-routes").daemon().factory());
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile RouteSync sync;
    private HaproxyProcess haproxy;
    private java.util.Optional<RenewedCertificate> certificateFile = java.util.Optional.empty();
    private RouteEvents events;

    EdgeService(EdgeConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    void start(@Observes StartupEvent started) throws Exception {
        AppsDomain domain = new AppsDomain(config.appsDomain());
        Path data = config.dataDir().toAbsolutePath();
        Path haproxyDir = data.resolve("haproxy");
        Files.createDirectories(haproxyDir);
        EdgeTls tls = EdgeTls.prepare(config.tls(), data, domain, Instant.now());
        Path pem = tls.pem();
        certificateFile = config.tls().certificateFile()
                .map(file -> new RenewedCertificate(file, certificate -> EdgeTls.prepare(config.tls(), data, domain,
                        Instant.now())));
        Path errorPage = haproxyDir.resolve("503.http");
        Files.writeString(errorPage, NoRoutePage.response(domain.domain()));
        EdgeListeners listeners = new EdgeListeners(config.bindAddress(), config.httpsPort(), config.httpPort(), pem,
                errorPage, haproxyDir.resolve("hosts.map"), haproxyDir.resolve("certificates.list"),
                haproxyDir.resolve("admin.sock"));
        haproxy = new HaproxyProcess(config.haproxy(), haproxyDir, listeners.hostMap(), listeners.certificateList());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ClientCredentialsToken token = new ClientCredentialsToken(http, json, config.tokenUrl(), config.clientId(),
                config.clientSecret());
        ControlApiClient controlApi = new ControlApiClient(http, config.controlApiUrl(), token);
        sync = new RouteSync(new ControlApiRoutes(controlApi, json),
                new ControlApiCertificates(controlApi, json, data.resolve("certificates")), haproxy, domain, listeners);
        haproxy.start(sync.initial());
        LOG.infof("edge: https://*.%s:%d/ (plain HTTP on %d redirects), certificate %s%s", domain.domain(),
                config.httpsPort(), config.httpPort(), pem,
                tls.issuer().map(ca -> " issued by the CA in " + ca).orElse(""));
        long interval = config.resyncInterval().toMillis();
        loop.scheduleWithFixedDelay(this::requestPass, 0, interval, TimeUnit.MILLISECONDS);
        certificateFile.ifPresent(file -> loop.scheduleWithFixedDelay(() -> reloadIfRenewed(file), interval,
                interval, TimeUnit.MILLISECONDS));
        config.kafkaBootstrapServers().ifPresent(kafka -> {
            events = new RouteEvents(kafka, json, this::requestPassSoon);
            events.start();
        });
    }

    /** Asks for a pass now; folds into one already queued. */
    void requestPass() {
        if (queued.compareAndSet(false, true)) {
            loop.execute(this::pass);
        }
    }

    /** Asks for a pass after {@link #EVENT_PASS_DELAY}; what else arrives meanwhile folds into it. */
    void requestPassSoon() {
        if (queued.compareAndSet(false, true)) {
            loop.schedule(this::pass, EVENT_PASS_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void pass() {
        queued.set(false);
        RouteSync.Status status = sync.pass();
        switch (status.outcome()) {
            case APPLIED -> LOG.infof("routes applied: %d hostnames, %d backends", status.served().routes().size(),
                    status.served().backends());
            case FETCH_FAILED, APPLY_FAILED -> LOG.warn(status.error());
            case UNCHANGED -> {
            }
        }
        status.domainsLeftOut().forEach((host, why) -> LOG.warnf("custom domain %s not served: %s", host, why));
    }

    /**
     * An operator's certificate file renewed in place (by whatever renews it) is checked as at start and, when it
     * fits, served from a reload; one that does not fit is refused once, with the reason, and the old one serves on.
     * Runs on the pass thread, so a reload never crosses a pass's.
     */
    private void reloadIfRenewed(RenewedCertificate file) {
        try {
            if (file.changed()) {
                haproxy.reload();
                LOG.infof("event=edge.certificate.renewed file=%s", file.path());
            }
        } catch (IllegalStateException | java.io.IOException e) {
            LOG.warnf("event=edge.certificate.refused file=%s reason=\"%s\"", file.path(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last pass, or none before the first. */
    RouteSync.Status status() {
        return sync == null ? null : sync.status();
    }

    boolean proxyRunning() {
        return haproxy != null && haproxy.running();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        if (events != null) {
            events.close();
        }
        loop.shutdownNow();
        if (haproxy != null) {
            haproxy.close();
        }
    }
}

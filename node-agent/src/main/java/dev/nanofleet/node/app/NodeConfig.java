package dev.nanofleet.node.app;

import dev.nanofleet.node.app.ConfigConstraints.AbsolutePath;
import dev.nanofleet.node.app.ConfigConstraints.HttpUrl;
import dev.nanofleet.node.app.ConfigConstraints.InstancePool;
import dev.nanofleet.node.runtime.BundleConfig;
import dev.nanofleet.nodeapi.NodeApi;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * The agent's configuration. Every key also reads from the environment in Quarkus' form, e.g.
 * {@code nanofleet.node.join-token} from {@code NANOFLEET_NODE_JOIN_TOKEN}. Validated at start-up
 * (Bean Validation on each key, {@link NodeConfigCheck} for what spans keys): a bad value stops the agent with a
 * message naming the key.
 */
@ConfigMapping(prefix = "nanofleet.node")
public interface NodeConfig {

    /** The messages of the duration constraints (their default ones need an expression language). */
    String POSITIVE = "must be positive";
    String NOT_NEGATIVE = "must not be negative";

    /** The node's name: unique in the fleet; the node enrolls under it. */
    @Pattern(regexp = NodeApi.NODE_NAME_PATTERN, message = NodeApi.NODE_NAME_RULE)
    String name();

    /** Base URL of control-api, e.g. {@code http://127.0.0.1:8080}. */
    @HttpUrl
    URI controlApiUrl();

    /**
     * A join token an operator created ({@code nfj_...}): the node enrolls with it once, when its state directory holds
     * no node credential yet ({@code <state-dir>/node-credential}), and needs it no more afterwards.
     */
    Optional<String> joinToken();

    /** Bundles, the image cache, instance logs and the OCI runtime's state live here. */
    @WithDefault("/var/lib/nanofleet/node")
    @AbsolutePath
    Path stateDir();

    Allocatable allocatable();

    /** Placement labels sent with the registration. */
    Map<String, String> labels();

    Registry registry();

    Runtime runtime();

    Hardware hardware();

    Network network();

    Dns dns();

    /** Node OS upgrades (A/B root slots, systemd-boot entries on the ESP); used only when the host runs the node OS. */
    OsUpgrade osUpgrade();

    /**
     * Delay between passes. Each pass observes the runtimes; it fetches the assignment list too unless the watch is
     * open (then the list is fetched when control-api announces a change, and every {@link #resyncInterval()}).
     */
    @WithDefault("2s")
    @DurationMin(millis = 1, message = POSITIVE)
    Duration reconcileInterval();

    /** While the assignment watch is open, the full list is fetched at least this often anyway (the safety net). */
    @WithDefault("30s")
    @DurationMin(millis = 1, message = POSITIVE)
    Duration resyncInterval();

    /** The assignment watch ({@code GET .../assignments/watch}). */
    Watch watch();

    interface Watch {
        /** Whether to hold the watch open; off, every pass fetches the list (polling every reconcile-interval). */
        @WithDefault("true")
        boolean enabled();
    }

    @WithDefault("5s")
    @DurationMin(millis = 1, message = POSITIVE)
    Duration heartbeatInterval();

    /** How often running instances' CPU time and memory are sampled and sent to control-api for billing. */
    @WithDefault("15s")
    @DurationMin(millis = 1, message = POSITIVE)
    Duration usageInterval();

    /** Images no instance used for this long are removed from the node's cache (checked every minute). */
    @WithDefault("10m")
    @DurationMin(millis = 0, message = NOT_NEGATIVE)
    Duration imageGcGrace();

    /** How long an instance has after SIGTERM before SIGKILL. */
    @WithDefault("10s")
    @DurationMin(millis = 0, message = NOT_NEGATIVE)
    Duration stopGracePeriod();

    /** What a stop does before SIGTERM. */
    Stop stop();

    interface Stop {
        /**
         * How long an instance that publishes ports keeps running once told to stop, before SIGTERM: the edge drops it
         * from its routes when control-api marks it to stop and reads them within about a second, and requests in
         * flight finish meanwhile (Kubernetes' preStop delay). Instances without published ports stop at once. 0: no
         * draining.
         */
        @WithDefault("5s")
        @DurationMin(millis = 0, message = NOT_NEGATIVE)
        @DurationMax(minutes = 10, message = "must be at most 10 minutes")
        Duration drainDelay();
    }

    /** How many pulls and starts may run at once. */
    @WithDefault("4")
    @Min(1)
    int workers();

    /**
     * How many instance health checks may run at once; more wait for their turn (each check runs on a virtual thread
     * of its own, bounded by its timeout).
     */
    @WithDefault("16")
    @Min(1)
    int healthCheckConcurrency();

    /**
     * The agent's own base URL as control-api reaches it (for instance logs), e.g. {@code http://10.0.0.7:8090}; sent
     * with the registration. Unset: control-api cannot serve this node's logs.
     */
    Optional<@HttpUrl URI> agentUrl();

    Logs logs();

    Exec exec();

    /** Exec into instances ({@code GET /v1/agent/instances/{id}/exec}, for control-api). */
    interface Exec {
        /**
         * The exec helper, {@code nf-exec} (built by {@code deploy/exec-helper/build}; {@code ./fleet} keeps it in
         * {@code .fleet/cache/exec-helper/}): a static binary, run on the node around {@code runc exec} and put into
         * every VM as its exec agent. Unset: this node refuses exec sessions.
         */
        Optional<@AbsolutePath Path> helper();
    }

    /** Rotation of each instance's {@code output.log}, like Docker's json-file {@code max-size} and {@code max-file}. */
    interface Logs {
        /** An instance's live log is rotated once it is larger than this many bytes. */
        @WithDefault("10485760")
        @Positive
        long maxBytes();

        /** Files kept per instance, the live one included (1: the live file is only truncated). */
        @WithDefault("3")
        @Min(1)
        int maxFiles();

        /** How often the logs are checked for rotation. */
        @WithDefault("5s")
        @DurationMin(millis = 1, message = POSITIVE)
        Duration rotateInterval();

        /**
         * Where the agent's own log is read from for {@code GET /v1/agent/node/logs?source=agent}: {@code journal}
         * (its systemd unit's journal, {@code journalctl -u nanofleet-agent.service}: the node OS sets this) or
         * {@code file} ({@link #agentFile()}).
         */
        @WithDefault("file")
        @Pattern(regexp = "journal|file", message = "must be journal or file")
        String agentSource();

        /**
         * The file the agent's output goes to, read when {@link #agentSource()} is {@code file} ({@code ./fleet up}
         * sets it to the agent's log in {@code .fleet/logs}). Unset: the agent's log cannot be read through the API.
         */
        Optional<@AbsolutePath Path> agentFile();
    }

    interface Allocatable {
        /** Default: cores * 1000 - 500 (the agent's own reserve). */
        @Positive
        OptionalInt cpuMillis();

        /** Default: MemTotal - 1024 MiB. */
        @Positive
        OptionalInt memoryMib();
    }

    interface Registry {
        /** False only for a local registry without TLS in dev and tests. */
        @WithDefault("true")
        boolean tlsVerify();

        /**
         * How long the digest a registry gave for a reference holds before a start asks again: a start from the cache
         * then needs no registry round trip, and a moved tag is seen this much later. 0: ask on every start.
         */
        @WithDefault("15s")
        @DurationMin(seconds = 0)
        @DurationMax(minutes = 10)
        Duration digestTtl();

        /**
         * {@code REGISTRY=MIRROR} pairs (hosts with optional ports): pulls of REGISTRY's images go to MIRROR first, for
         * a node that reaches the registry by another address (a node OS under QEMU reaches the host's
         * {@code 127.0.0.1:5000} at {@code 10.0.2.2:5000}) or through a pull-through cache. See
         * {@link dev.nanofleet.node.image.RegistryMirrors}.
         */
        Optional<List<String>> mirrors();
    }

    interface Runtime {
        /** OCI runtimes to try, in order; the first whose probe container runs is used. */
        @WithDefault("crun,runc")
        @NotEmpty
        List<@NotBlank String> ociCandidates();

        /**
         * The cgroup every shared-kernel instance's cgroup goes under ({@code /<cgroup-parent>/<instance id>} in each
         * controller). Several agents on one host (e.g. {@code ./fleet up --nodes 3}) each take their own, so one node's
         * instances can be told from another's and removed with it.
         */
        @WithDefault(BundleConfig.CGROUP_PARENT)
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", message = "must be one cgroup name: letters, digits, "
                + "'_', '.', '-', at most 64 characters")
        String cgroupParent();
    }

    /** Hardware-isolated instances: one QEMU VM each. */
    interface Hardware {
        /**
         * Whether to offer HARDWARE isolation (only if QEMU, busybox-static and the guest kernel are there). Off by
         * default until the scheduler's VM overhead matches what a VM costs here and the e2e journey expects it.
         */
        @WithDefault("false")
        boolean enabled();

        /** {@code auto} (KVM only with a vmx/svm CPU flag and a usable /dev/kvm, else TCG), {@code kvm} or {@code tcg}. */
        @WithDefault("auto")
        @Pattern(regexp = "auto|kvm|tcg", message = "must be auto, kvm or tcg")
        String accelerator();

        /** The QEMU binary. */
        @WithDefault("qemu-system-x86_64")
        String qemu();

        /** A statically linked busybox: the guest's shell and tools. */
        @WithDefault("/bin/busybox")
        String busybox();

        /**
         * The guest kernel: {@code nanofleet}, the purpose-built one {@code deploy/guest-kernel/build} puts in the kernel
         * cache (Debian's {@code linux-image-amd64} while it is missing), or a Debian kernel package (a meta package
         * resolves to its versioned dependency).
         */
        @WithDefault("nanofleet")
        String kernelPackage();

        /** Where the guest kernel is cached. Default: {@code <state-dir>/guest-kernel}. */
        Optional<Path> kernelCache();

        /** Launch of QEMU to the instance's process running. */
        @WithDefault("120s")
        @DurationMin(millis = 1, message = POSITIVE)
        Duration bootTimeout();
    }

    /** Instance networking: a bridge per tenant, walls between tenants, published ports. */
    interface Network {
        /** Off: instances get no network at all (an empty network namespace, no NIC). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Where each tenant's /24 on this node is taken from: {@code auto} (the first of a few candidate /16s that
         * overlaps no address or route of the host at start-up; see {@code AddressPlan}) or an IPv4 network, which
         * must not overlap the host's networks either. The agent refuses to start if it cannot have one.
         */
        @WithDefault("auto")
        @InstancePool
        String pool();

        /** The address published ports listen on. */
        @WithDefault("0.0.0.0")
        @Pattern(regexp = "[0-9.]+|[0-9a-fA-F:]+", message = "must be an IP address")
        String publishAddress();
    }

    /** The DNS every tenant bridge has on its gateway (see {@code InternalDns}). */
    interface Dns {
        /**
         * Where public names are forwarded: up to three {@code IPv4[:port]} (port 53 by default; a loopback one such as
         * {@code 127.0.0.53} works, the agent itself asks). Absent: the {@code nameserver} lines of the host's
         * {@code /etc/resolv.conf} at start-up. Never an address of the instance pool (dropped, logged).
         */
        Optional<List<String>> upstream();
    }

    /**
     * Where an OS upgrade writes. The defaults are the node image's: partitions found by their GPT names, the ESP at
     * {@code /efi}.
     */
    interface OsUpgrade {
        /** What the image says its version is; absent on a host that does not run the node OS (no upgrades then). */
        @WithDefault("/usr/share/nanofleet/image-version")
        @AbsolutePath
        Path imageVersionFile();

        /** Root slot A's partition. */
        @WithDefault("/dev/disk/by-partlabel/root-a")
        @AbsolutePath
        Path slotADevice();

        /** Root slot B's partition. */
        @WithDefault("/dev/disk/by-partlabel/root-b")
        @AbsolutePath
        Path slotBDevice();

        /** The mounted ESP: {@code nanofleet/<slot>/} holds each slot's kernel, {@code loader/entries/} the entries. */
        @WithDefault("/efi")
        @AbsolutePath
        Path espDir();

        /** Where a release is downloaded and checked before anything is written. Default: {@code <state-dir>/os-upgrade}. */
        Optional<@AbsolutePath Path> downloadDir();

        /** Run once the slot is written and the node drained. */
        @WithDefault("systemctl,reboot")
        @NotEmpty
        List<String> rebootCommand();

        /** The longest wait for the node's instances to move elsewhere before it reboots anyway. */
        @WithDefault("10m")
        @DurationMin(millis = 0, message = NOT_NEGATIVE)
        Duration drainTimeout();
    }
}

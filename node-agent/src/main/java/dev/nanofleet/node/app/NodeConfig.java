package dev.nanofleet.node.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The agent's configuration. Every key also reads from the environment in Quarkus' form, e.g.
 * {@code nanofleet.node.oidc.client-secret} from {@code NANOFLEET_NODE_OIDC_CLIENT_SECRET}. Checked at start-up by
 * {@link NodeConfigCheck}; a bad value stops the agent with a message naming the key.
 */
@ConfigMapping(prefix = "nanofleet.node")
public interface NodeConfig {

    /** The node's name: unique in the fleet, also the suffix of its OIDC client id. */
    String name();

    /** Base URL of control-api, e.g. {@code http://127.0.0.1:8080}. */
    URI controlApiUrl();

    Oidc oidc();

    /** Bundles, the image cache, instance logs and the OCI runtime's state live here. */
    @WithDefault("/var/lib/nanofleet/node")
    Path stateDir();

    Allocatable allocatable();

    /** Placement labels sent with the registration. */
    Map<String, String> labels();

    Registry registry();

    Runtime runtime();

    Hardware hardware();

    Network network();

    @WithDefault("2s")
    Duration reconcileInterval();

    @WithDefault("5s")
    Duration heartbeatInterval();

    /** How often running instances' CPU time and memory are sampled and sent to control-api for billing. */
    @WithDefault("15s")
    Duration usageInterval();

    /** Images no instance used for this long are removed from the node's cache (checked every minute). */
    @WithDefault("10m")
    Duration imageGcGrace();

    /** How long an instance has after SIGTERM before SIGKILL. */
    @WithDefault("10s")
    Duration stopGracePeriod();

    /** How many pulls and starts may run at once. */
    @WithDefault("4")
    int workers();

    /**
     * The agent's own base URL as control-api reaches it (for instance logs), e.g. {@code http://10.0.0.7:8090}; sent
     * with the registration. Unset: control-api cannot serve this node's logs.
     */
    Optional<URI> agentUrl();

    Logs logs();

    /** Rotation of each instance's {@code output.log}, like Docker's json-file {@code max-size} and {@code max-file}. */
    interface Logs {
        /** An instance's live log is rotated once it is larger than this many bytes. */
        @WithDefault("10485760")
        long maxBytes();

        /** Files kept per instance, the live one included (1: the live file is only truncated). */
        @WithDefault("3")
        int maxFiles();

        /** How often the logs are checked for rotation. */
        @WithDefault("5s")
        Duration rotateInterval();
    }

    interface Oidc {
        /** The realm's issuer; the token endpoint is {@code <issuer>/protocol/openid-connect/token}. */
        Optional<URI> issuer();

        /** The token endpoint itself; wins over {@code issuer}. */
        Optional<URI> tokenUrl();

        @WithDefault("nanofleet-node-${nanofleet.node.name}")
        String clientId();

        String clientSecret();
    }

    interface Allocatable {
        /** Default: cores * 1000 - 500 (the agent's own reserve). */
        OptionalInt cpuMillis();

        /** Default: MemTotal - 1024 MiB. */
        OptionalInt memoryMib();
    }

    interface Registry {
        /** False only for a local registry without TLS in dev and tests. */
        @WithDefault("true")
        boolean tlsVerify();
    }

    interface Runtime {
        /** OCI runtimes to try, in order; the first whose probe container runs is used. */
        @WithDefault("crun,runc")
        List<String> ociCandidates();
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
        Duration bootTimeout();
    }

    /** Instance networking: a bridge per tenant, walls between tenants, published ports. */
    interface Network {
        /** Off: instances get no network at all (an empty network namespace, no NIC). */
        @WithDefault("true")
        boolean enabled();

        /** IPv4 network each tenant's /24 on this node is taken from (avoiding what the host already uses). */
        @WithDefault("10.88.0.0/16")
        String pool();

        /** The address published ports listen on. */
        @WithDefault("0.0.0.0")
        String publishAddress();
    }
}

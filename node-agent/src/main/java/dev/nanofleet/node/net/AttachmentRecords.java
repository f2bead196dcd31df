package dev.nanofleet.node.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanofleet.node.core.ContainerRuntime.RuntimeFailure;
import dev.nanofleet.node.host.InstanceFiles;
import dev.nanofleet.node.net.NodeNetwork.Attachment;
import dev.nanofleet.nodeapi.EgressPolicy;
import dev.nanofleet.nodeapi.InstanceNetwork.PortBinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What each instance got on the network, one JSON file per instance in {@code <state-dir>/network/instances/<id>.json}
 * (tenant, bridge, address, devices, port bindings), so a restarted agent keeps addresses and node ports. Shared by
 * the runc and the QEMU runtime. Each file is replaced atomically.
 */
final class AttachmentRecords {

    private static final Logger LOG = System.getLogger(AttachmentRecords.class.getName());

    private final Path dir;
    private final ObjectMapper json = new ObjectMapper();

    /** @throws UncheckedIOException if the directory cannot be created */
    AttachmentRecords(Path stateDir) {
        this.dir = stateDir.resolve("network/instances");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    void write(Attachment a) {
        ObjectNode node = json.createObjectNode().put("tenant", a.tenant()).put("bridge", a.bridge()).put("address",
                a.address()).put("prefix", a.prefix()).put("gateway", a.gateway()).put("device", a.device());
        if (a.netns() != null) {
            node.put("netns", a.netns());
        }
        if (a.mac() != null) {
            node.put("mac", a.mac());
        }
        node.set("egress", json.valueToTree(a.egress()));
        ArrayNode ports = node.putArray("ports");
        a.ports().forEach(p -> ports.addObject().put("containerPort", p.containerPort()).put("hostPort", p
                .hostPort()));
        Path file = file(a.instance());
        Path tmp = dir.resolve(a.instance() + ".json.tmp");
        try {
            Files.writeString(tmp, node.toString());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RuntimeFailure("cannot record the network of " + a.instance() + ": " + e.getMessage(), e);
        }
    }

    void delete(UUID instance) {
        InstanceFiles.deleteQuietly(file(instance));
    }

    /** Every readable record; an unreadable one is logged and left out. */
    Map<UUID, Attachment> readAll() {
        Map<UUID, Attachment> all = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                try {
                    Attachment a = read(file);
                    all.put(a.instance(), a);
                } catch (IOException | IllegalArgumentException e) {
                    LOG.log(Level.WARNING, "event=network.record.unreadable file={0} reason=\"{1}\"", file, e
                            .getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return all;
    }

    private Attachment read(Path file) throws IOException {
        String name = file.getFileName().toString();
        UUID id = UUID.fromString(name.substring(0, name.length() - ".json".length()));
        JsonNode n = json.readTree(file.toFile());
        List<PortBinding> ports = new ArrayList<>();
        n.path("ports").forEach(p -> ports.add(new PortBinding(p.path("containerPort").asInt(), p.path("hostPort")
                .asInt())));
        return new Attachment(id, n.path("tenant").asText(), n.path("bridge").asText(), n.path("address").asText(), n
                .path("prefix").asInt(), n.path("gateway").asText(), n.path("device").asText(), text(n, "netns"),
                text(n, "mac"), List.copyOf(ports), egress(n));
    }

    /**
     * The policy the instance was started with. A record without one was written by an agent that let nothing out:
     * the instance keeps that until it is started again.
     */
    private EgressPolicy egress(JsonNode n) throws IOException {
        return n.hasNonNull("egress") ? json.treeToValue(n.get("egress"), EgressPolicy.class) : EgressPolicy.DENY_ALL;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private Path file(UUID instance) {
        return dir.resolve(instance + ".json");
    }
}

package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The body of POST /v1/deployments, from a file ({@code nanofleet.yaml}, {@code .toml} or {@code .json}, shaped like
 * the body itself) and flags. Flags win: a scalar flag replaces the file's value, {@code --env}/{@code --secret} add
 * or replace single keys, {@code --port} and {@code --command} replace the whole list. Validation stays with the API,
 * which names the bad field; this class only refuses what it cannot parse.
 */
public final class DeployRequest {

    /**
     * The flags of {@code deploy}; null (or empty) means "not given".
     *
     * @param egress the egress mode ({@code allow-all}, {@code deny-all}, {@code allow-list})
     * @param egressAllow allow-list destinations, {@code CIDR} or {@code CIDR:PORT[,PORT...]}; they make the mode
     *        {@code allow-list} and replace the file's list
     */
    public record Flags(String name, String image, Integer replicas, Integer cpuMillis, Integer memoryMiB,
            String isolation, List<PortFlag> ports, Map<String, String> env, Map<String, String> secrets,
            List<String> command, String restart, String egress, List<String> egressAllow) {

        /** The flags without egress ones. */
        public Flags(String name, String image, Integer replicas, Integer cpuMillis, Integer memoryMiB,
                String isolation, List<PortFlag> ports, Map<String, String> env, Map<String, String> secrets,
                List<String> command, String restart) {
            this(name, image, replicas, cpuMillis, memoryMiB, isolation, ports, env, secrets, command, restart, null,
                    null);
        }
    }

    private DeployRequest() {
    }

    public static ObjectNode read(Path file, ObjectMapper json) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".toml")
                ? new TomlMapper()
                : name.endsWith(".yaml") || name.endsWith(".yml") ? new YAMLMapper() : json;
        JsonNode tree;
        try {
            tree = mapper.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new CliException(ExitCodes.USAGE, file + " must hold one object shaped like the create body");
        }
        return (ObjectNode) tree;
    }

    public static ObjectNode merge(ObjectNode file, Flags flags, ObjectMapper json) {
        ObjectNode body = file == null ? json.createObjectNode() : file.deepCopy();
        put(body, "name", flags.name());
        put(body, "image", flags.image());
        if (flags.replicas() != null) {
            body.put("replicas", flags.replicas());
        }
        if (flags.cpuMillis() != null || flags.memoryMiB() != null) {
            ObjectNode resources = body.path("resources").isObject()
                    ? (ObjectNode) body.get("resources")
                    : body.putObject("resources");
            if (flags.cpuMillis() != null) {
                resources.put("cpuMillis", flags.cpuMillis());
            }
            if (flags.memoryMiB() != null) {
                resources.put("memoryMiB", flags.memoryMiB());
            }
        }
        put(body, "isolation", flags.isolation() == null ? null : flags.isolation().toLowerCase(Locale.ROOT));
        if (flags.ports() != null && !flags.ports().isEmpty()) {
            ArrayNode ports = body.putArray("ports");
            flags.ports().forEach(p -> p.writeTo(ports.addObject()));
        }
        mergeMap(body, "env", flags.env());
        mergeMap(body, "secrets", flags.secrets());
        if (flags.command() != null && !flags.command().isEmpty()) {
            ArrayNode command = body.putArray("command");
            flags.command().forEach(command::add);
        }
        if (flags.restart() != null) {
            ObjectNode policy = body.path("restartPolicy").isObject()
                    ? (ObjectNode) body.get("restartPolicy")
                    : body.putObject("restartPolicy");
            policy.put("mode", flags.restart().toLowerCase(Locale.ROOT));
        }
        mergeEgress(body, flags);
        return body;
    }

    private static void mergeEgress(ObjectNode body, Flags flags) {
        boolean listed = flags.egressAllow() != null && !flags.egressAllow().isEmpty();
        if (flags.egress() == null && !listed) {
            return;
        }
        ObjectNode egress = body.putObject("egress");
        egress.put("mode", flags.egress() != null ? flags.egress().toLowerCase(Locale.ROOT) : "allow-list");
        if (listed) {
            ArrayNode allow = egress.putArray("allow");
            flags.egressAllow().forEach(d -> destination(allow.addObject(), d));
        }
    }

    /** {@code CIDR} or {@code CIDR:PORT[,PORT...]}; the API checks the CIDR and the port range. */
    private static void destination(ObjectNode target, String flag) {
        int colon = flag.indexOf(':');
        target.put("cidr", colon < 0 ? flag : flag.substring(0, colon));
        if (colon < 0) {
            return;
        }
        ArrayNode ports = target.putArray("ports");
        for (String port : flag.substring(colon + 1).split(",")) {
            try {
                ports.add(Integer.parseInt(port.strip()));
            } catch (NumberFormatException e) {
                throw new CliException(ExitCodes.USAGE, "--egress-allow " + flag
                        + ": ports must be numbers, e.g. 203.0.113.0/24:443,80", e);
            }
        }
    }

    private static void put(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    private static void mergeMap(ObjectNode body, String field, Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return;
        }
        ObjectNode target = body.path(field).isObject() ? (ObjectNode) body.get(field) : body.putObject(field);
        values.forEach(target::put);
    }
}

package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The body of PATCH /v1/deployments/{id} from the deployment as it is now, a file and flags. The API replaces
 * {@code env} and {@code secrets} whole and wants both halves of {@code resources}; people change one variable or one
 * half, so this class fills in the rest from the current deployment. A file is the deployment as it should be (its env
 * and secrets are the whole maps); flags win over the file. Validation stays with the API, which names the bad field.
 */
public final class UpdateRequest {

    /** The fields of a create body that an update does not take. */
    private static final Set<String> NOT_UPDATABLE = Set.of("name");

    /** The flags of {@code update}; null (or empty) means "not given". */
    public record Flags(Integer replicas, String image, Integer cpuMillis, Integer memoryMiB, String isolation,
            List<String> command, Map<String, String> env, List<String> unsetEnv, Map<String, String> secrets,
            List<PortFlag> ports, String restart, HealthCheck healthCheck, boolean removeHealthCheck,
            String maxSurge, String maxUnavailable, Integer minReadySeconds, Integer progressDeadlineSeconds,
            Boolean autoRollback) {
    }

    /** A health check from {@code --health-http PORT[/PATH]}, {@code --health-tcp PORT} or {@code --health-exec}. */
    public record HealthCheck(String type, Integer port, String path, List<String> command, Integer intervalSeconds) {

        HealthCheck every(Integer seconds) {
            return new HealthCheck(type, port, path, command, seconds);
        }

        /** {@code 8080} or {@code 8080/healthz}. */
        static HealthCheck http(String portAndPath) {
            int slash = portAndPath.indexOf('/');
            String port = slash < 0 ? portAndPath : portAndPath.substring(0, slash);
            try {
                return new HealthCheck("http", Integer.parseInt(port), slash < 0
                        ? null
                        : portAndPath.substring(
                                slash),
                        null, null);
            } catch (NumberFormatException e) {
                throw new CliException(ExitCodes.USAGE, "--health-http takes PORT or PORT/PATH, not '" + portAndPath
                        + "'");
            }
        }
    }

    private UpdateRequest() {
    }

    /**
     * @param current GET /v1/deployments/{id}
     * @param file the file's object, or null
     */
    public static ObjectNode build(JsonNode current, ObjectNode file, Flags flags, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        if (file != null) {
            file.fields().forEachRemaining(e -> {
                if (!NOT_UPDATABLE.contains(e.getKey())) {
                    body.set(e.getKey(), e.getValue().deepCopy());
                }
            });
        }
        if (flags.replicas() != null) {
            body.put("replicas", flags.replicas());
        }
        if (flags.image() != null) {
            body.put("image", flags.image());
        }
        if (flags.cpuMillis() != null || flags.memoryMiB() != null) {
            JsonNode now = body.path("resources").isObject() ? body.get("resources") : current.path("resources");
            ObjectNode resources = body.putObject("resources");
            resources.put("cpuMillis", flags.cpuMillis() != null ? flags.cpuMillis() : now.path("cpuMillis").asInt());
            resources.put("memoryMiB", flags.memoryMiB() != null ? flags.memoryMiB() : now.path("memoryMiB").asInt());
        }
        if (flags.isolation() != null) {
            body.put("isolation", flags.isolation().toLowerCase(Locale.ROOT));
        }
        if (flags.command() != null && !flags.command().isEmpty()) {
            ArrayNode command = body.putArray("command");
            flags.command().forEach(command::add);
        }
        mergeEnv(current, body, flags);
        mergeSecrets(current, body, flags);
        if (flags.ports() != null && !flags.ports().isEmpty()) {
            ArrayNode ports = body.putArray("ports");
            flags.ports().forEach(p -> p.writeTo(ports.addObject()));
        }
        if (flags.restart() != null) {
            String mode = flags.restart().toLowerCase(Locale.ROOT);
            ObjectNode policy = body.putObject("restartPolicy");
            policy.put("mode", mode);
            // the API's default would reset the retries the deployment has; keep them
            JsonNode retries = current.path("restartPolicy").path("maxRetries");
            if (!"never".equals(mode) && retries.isInt() && retries.asInt() > 0) {
                policy.put("maxRetries", retries.asInt());
            }
        }
        if (flags.healthCheck() != null && flags.removeHealthCheck()) {
            throw new CliException(ExitCodes.USAGE, "--no-health-check and a --health-* flag contradict each other");
        }
        if (flags.healthCheck() != null) {
            HealthCheck h = flags.healthCheck();
            ObjectNode check = body.putObject("healthCheck");
            check.put("type", h.type());
            if (h.port() != null) {
                check.put("port", h.port());
            }
            if (h.path() != null) {
                check.put("path", h.path());
            }
            if (h.command() != null) {
                ArrayNode command = check.putArray("command");
                h.command().forEach(command::add);
            }
            if (h.intervalSeconds() != null) {
                check.put("intervalSeconds", h.intervalSeconds());
            }
        }
        if (flags.removeHealthCheck()) {
            body.remove("healthCheck");
            body.put("removeHealthCheck", true);
        }
        rollout(body, flags);
        return body;
    }

    /** {@code --env} adds to (and {@code --unset-env} removes from) the file's env, else the deployment's. */
    private static void mergeEnv(JsonNode current, ObjectNode body, Flags flags) {
        boolean setting = flags.env() != null && !flags.env().isEmpty();
        boolean unsetting = flags.unsetEnv() != null && !flags.unsetEnv().isEmpty();
        if (!setting && !unsetting) {
            return;
        }
        ObjectNode env = body.path("env").isObject()
                ? (ObjectNode) body.get("env")
                : current.path("env").isObject() ? ((ObjectNode) current.get("env")).deepCopy() : body.objectNode();
        if (setting) {
            flags.env().forEach(env::put);
        }
        if (unsetting) {
            for (String name : flags.unsetEnv()) {
                if (!env.has(name)) {
                    throw new CliException(ExitCodes.USAGE, "--unset-env " + name + ": the deployment has no "
                            + "variable " + name + " in env" + (current.path("secretNames").toString().contains('"'
                                    + name + '"') ? " (it is a secret: give the secrets without it)" : ""));
                }
                env.remove(name);
            }
        }
        body.set("env", env);
    }

    /**
     * The API replaces every secret and never shows their values, so a {@code --secret} cannot be merged: it may only
     * name all the deployment's secrets (new values for each), or come with a file that lists them.
     */
    private static void mergeSecrets(JsonNode current, ObjectNode body, Flags flags) {
        if (flags.secrets() == null || flags.secrets().isEmpty()) {
            return;
        }
        ObjectNode secrets = body.path("secrets").isObject() ? (ObjectNode) body.get("secrets") : body.objectNode();
        flags.secrets().forEach(secrets::put);
        if (!body.path("secrets").isObject()) {
            Set<String> missing = new TreeSet<>();
            current.path("secretNames").forEach(n -> missing.add(n.asText()));
            secrets.fieldNames().forEachRemaining(missing::remove);
            if (!missing.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "--secret replaces every secret of the deployment and their "
                        + "values are never shown: give " + String.join(", ", missing) + " too");
            }
        }
        body.set("secrets", secrets);
    }

    private static void rollout(ObjectNode body, Flags flags) {
        ObjectNode policy = body.path("rolloutPolicy").isObject()
                ? (ObjectNode) body.get("rolloutPolicy")
                : body.objectNode();
        if (flags.maxSurge() != null) {
            policy.put("maxSurge", flags.maxSurge());
        }
        if (flags.maxUnavailable() != null) {
            policy.put("maxUnavailable", flags.maxUnavailable());
        }
        if (flags.minReadySeconds() != null) {
            policy.put("minReadySeconds", flags.minReadySeconds());
        }
        if (flags.progressDeadlineSeconds() != null) {
            policy.put("progressDeadlineSeconds", flags.progressDeadlineSeconds());
        }
        if (flags.autoRollback() != null) {
            policy.put("autoRollback", flags.autoRollback());
        }
        if (!policy.isEmpty()) {
            body.set("rolloutPolicy", policy);
        }
    }
}

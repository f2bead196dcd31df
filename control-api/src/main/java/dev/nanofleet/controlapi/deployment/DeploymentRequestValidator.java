package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.events.ImageReference;
import dev.nanofleet.controlapi.problem.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.nanofleet.controlapi.rollout.RolloutPolicy;

/**
 * Checks a create-deployment request against the bounds documented in the README and names every bad field by its
 * JSON path. Pure: no framework, so the rules are tested directly.
 */
public final class DeploymentRequestValidator {

    public static final int MIN_REPLICAS = 1;
    public static final int MAX_REPLICAS = 50;
    public static final int MIN_CPU_MILLIS = 50;
    public static final int MAX_CPU_MILLIS = 16_000;
    public static final int MIN_MEMORY_MIB = 32;
    public static final int MAX_MEMORY_MIB = 65_536;
    public static final int MAX_IMAGE_LENGTH = ImageReference.MAX_LENGTH;
    public static final int MAX_COMMAND_ARGS = 64;
    public static final int MAX_ARG_LENGTH = 4_096;
    public static final int MAX_ENV_VARS = 128;
    public static final int MAX_ENV_KEY_LENGTH = 256;
    public static final int MAX_ENV_VALUE_BYTES = 32 * 1024;
    /**
     * All env and secret names and values together. With the other bounds it keeps a deployment's row and each
     * assignment a node fetches small, whatever the body limit (quarkus.http.limits.max-body-size) is set to.
     */
    public static final int MAX_ENV_TOTAL_BYTES = 256 * 1024;
    public static final int MAX_RESTART_RETRIES = 100;
    public static final int MAX_PORTS = 16;
    public static final int MAX_USERNAME_LENGTH = 256;
    public static final int MAX_PASSWORD_LENGTH = 4_096;
    /** Each destination becomes a few iptables rules per replica on its node: bounded like ports. */
    public static final int MAX_EGRESS_DESTINATIONS = 50;
    public static final int MAX_EGRESS_PORTS = 16;

    /** RFC 1123 label, as Kubernetes names: lower case letters, digits and '-', starting and ending alphanumeric. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final String NUL = "must not contain the NUL character (\\u0000)";

    private DeploymentRequestValidator() {
    }

    /** Every problem with the request, in field order; empty when it is valid. */
    public static List<FieldError> validate(CreateDeploymentRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            errors.add(new FieldError("", "a JSON object is required"));
            return errors;
        }
        validateName(request.name(), errors);
        validateImage(request.image(), errors);
        range("replicas", request.replicas(), MIN_REPLICAS, MAX_REPLICAS, errors);
        if (request.resources() == null) {
            errors.add(new FieldError("resources", "is required"));
        } else {
            range("resources.cpuMillis", request.resources().cpuMillis(), MIN_CPU_MILLIS, MAX_CPU_MILLIS, errors);
            range("resources.memoryMiB", request.resources().memoryMiB(), MIN_MEMORY_MIB, MAX_MEMORY_MIB, errors);
        }
        validateCommand(request.command(), errors);
        validateVariables("env", request.env(), errors);
        validateVariables("secrets", request.secrets(), errors);
        validateEnvAndSecretsTogether(request.env(), request.secrets(), errors);
        validateRestartPolicy(request.restartPolicy(), errors);
        validatePorts(request.ports(), errors);
        validateImageCredentials(request.imageCredentials(), errors);
        validateHealthCheck(request.healthCheck(), errors);
        validateEgress(request.egress(), errors);
        validateRollout(request.rolloutPolicy(), errors);
        return errors;
    }

    /**
     * Every problem with an update. {@code env} and {@code secrets} are checked against each other as they will be
     * after it: the request's map where given, else the deployment's.
     */
    public static List<FieldError> validate(UpdateDeploymentRequest request, Map<String, String> currentEnv,
            Set<String> currentSecretNames) {
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            errors.add(new FieldError("", "a JSON object is required"));
            return errors;
        }
        if (request.replicas() != null) {
            range("replicas", request.replicas(), MIN_REPLICAS, MAX_REPLICAS, errors);
        }
        if (request.image() != null) {
            validateImage(request.image(), errors);
        }
        if (request.resources() != null) {
            range("resources.cpuMillis", request.resources().cpuMillis(), MIN_CPU_MILLIS, MAX_CPU_MILLIS, errors);
            range("resources.memoryMiB", request.resources().memoryMiB(), MIN_MEMORY_MIB, MAX_MEMORY_MIB, errors);
        }
        if (request.command() != null && !request.command().isEmpty()) {
            validateCommand(request.command(), errors);
        }
        validateVariables("env", request.env(), errors);
        validateVariables("secrets", request.secrets(), errors);
        Map<String, String> env = request.env() != null ? request.env() : currentEnv;
        if (request.secrets() != null) {
            validateEnvAndSecretsTogether(env, request.secrets(), errors);
        } else if (request.env() != null) {
            Map<String, String> names = new java.util.HashMap<>();
            currentSecretNames.forEach(n -> names.put(n, ""));
            validateEnvAndSecretsTogether(env, names, errors);
        }
        validateRestartPolicy(request.restartPolicy(), errors);
        validatePorts(request.ports(), errors);
        validateImageCredentials(request.imageCredentials(), errors);
        validateHealthCheck(request.healthCheck(), errors);
        if (request.healthCheck() != null && Boolean.TRUE.equals(request.removeHealthCheck())) {
            errors.add(new FieldError("removeHealthCheck", "cannot be true with a healthCheck in the same request"));
        }
        validateEgress(request.egress(), errors);
        validateRollout(request.rolloutPolicy(), errors);
        if (!request.revises() && request.replicas() == null && request.rolloutPolicy() == null) {
            errors.add(
                    new FieldError("", "names nothing to change: give replicas, rolloutPolicy or a field of the spec"));
        }
        return errors;
    }

    private static void validateEgress(EgressRequest egress, List<FieldError> errors) {
        if (egress == null) {
            return;
        }
        if (egress.mode() == null) {
            errors.add(new FieldError("egress.mode", "is required: allow-all, deny-all or allow-list"));
        }
        List<EgressRequest.Destination> allow = egress.allow();
        if (egress.mode() == EgressRequest.Mode.ALLOW_LIST && (allow == null || allow.isEmpty())) {
            errors.add(new FieldError("egress.allow", "is required for allow-list (use deny-all to allow nothing)"));
        }
        if (allow == null) {
            return;
        }
        if (egress.mode() != null && egress.mode() != EgressRequest.Mode.ALLOW_LIST) {
            errors.add(new FieldError("egress.allow", "is only for allow-list, not " + egress.mode().json()));
        }
        if (allow.size() > MAX_EGRESS_DESTINATIONS) {
            errors.add(new FieldError("egress.allow", "must have at most " + MAX_EGRESS_DESTINATIONS + " entries"));
            return;
        }
        for (int i = 0; i < allow.size(); i++) {
            String at = "egress.allow[" + i + "]";
            EgressRequest.Destination d = allow.get(i);
            if (d == null) {
                errors.add(new FieldError(at, "must not be null"));
                continue;
            }
            cidrProblem(d.cidr()).ifPresent(m -> errors.add(new FieldError(at + ".cidr", m)));
            if (d.ports() == null) {
                continue;
            }
            if (d.ports().size() > MAX_EGRESS_PORTS) {
                errors.add(new FieldError(at + ".ports", "must have at most " + MAX_EGRESS_PORTS + " ports"));
                continue;
            }
            Set<Integer> seen = new HashSet<>();
            for (int j = 0; j < d.ports().size(); j++) {
                Integer port = d.ports().get(j);
                if (port == null || port < 1 || port > 65535) {
                    errors.add(new FieldError(at + ".ports[" + j + "]", "must be between 1 and 65535"));
                } else if (!seen.add(port)) {
                    errors.add(new FieldError(at + ".ports[" + j + "]", "repeats port " + port));
                }
            }
        }
    }

    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    /** What is wrong with an IPv4 CIDR, if anything: the form, an octet, the prefix length, host bits. */
    static Optional<String> cidrProblem(String cidr) {
        String expected = "must be an IPv4 network in CIDR form, e.g. 203.0.113.0/24";
        if (cidr == null || cidr.isBlank()) {
            return Optional.of("is required: " + expected.substring("must be ".length()));
        }
        Matcher m = CIDR.matcher(cidr);
        if (!m.matches()) {
            return Optional.of(expected);
        }
        long address = 0;
        for (int g = 1; g <= 4; g++) {
            int octet = Integer.parseInt(m.group(g));
            if (octet > 255) {
                return Optional.of(expected + " (octet " + octet + " is above 255)");
            }
            address = address << 8 | octet;
        }
        int prefix = Integer.parseInt(m.group(5));
        if (prefix > 32) {
            return Optional.of("has a prefix length above 32");
        }
        long mask = prefix == 0 ? 0 : 0xffffffffL << (32 - prefix) & 0xffffffffL;
        if ((address & mask) != address) {
            long base = address & mask;
            return Optional.of("has host bits set: the network is " + (base >>> 24) + "." + (base >>> 16 & 0xff)
                    + "." + (base >>> 8 & 0xff) + "." + (base & 0xff) + "/" + prefix);
        }
        return Optional.empty();
    }

    private static void validateHealthCheck(HealthCheckRequest check, List<FieldError> errors) {
        if (check == null) {
            return;
        }
        if (check.type() == null) {
            errors.add(new FieldError("healthCheck.type", "is required: http, tcp or exec"));
            return;
        }
        switch (check.type()) {
            case HTTP, TCP -> {
                if (check.port() == null) {
                    errors.add(
                            new FieldError("healthCheck.port", "is required for a " + check.type().json() + " check"));
                } else if (check.port() < 1 || check.port() > 65_535) {
                    errors.add(new FieldError("healthCheck.port", "must be between 1 and 65535"));
                }
                if (check.command() != null) {
                    errors.add(new FieldError("healthCheck.command", "is only for an exec check"));
                }
            }
            case EXEC -> {
                if (check.command() == null || check.command().isEmpty()) {
                    errors.add(new FieldError("healthCheck.command", "is required for an exec check"));
                } else {
                    List<FieldError> commandErrors = new ArrayList<>();
                    validateCommand(check.command(), commandErrors);
                    commandErrors.forEach(e -> errors.add(new FieldError("healthCheck." + e.field(), e.message())));
                }
                if (check.port() != null) {
                    errors.add(new FieldError("healthCheck.port", "is only for an http or tcp check"));
                }
            }
        }
        if (check.type() == HealthCheckRequest.Type.HTTP) {
            String path = check.path();
            if (path != null && (!path.startsWith("/") || path.length() > 1024
                    || path.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f))) {
                errors.add(new FieldError("healthCheck.path",
                        "must start with / and be at most 1024 printable ASCII characters without spaces"));
            }
            optionalRange("healthCheck.statusMin", check.statusMin(), 100, 599, errors);
            optionalRange("healthCheck.statusMax", check.statusMax(), 100, 599, errors);
            int min = check.statusMin() == null ? 200 : check.statusMin();
            int max = check.statusMax() == null ? 399 : check.statusMax();
            if (min > max) {
                errors.add(new FieldError("healthCheck.statusMax", "must not be below statusMin (" + min + ")"));
            }
        } else if (check.path() != null || check.statusMin() != null || check.statusMax() != null) {
            errors.add(new FieldError(check.path() != null ? "healthCheck.path" : "healthCheck.statusMin",
                    "is only for an http check"));
        }
        optionalRange("healthCheck.intervalSeconds", check.intervalSeconds(), 1, 3600, errors);
        optionalRange("healthCheck.timeoutSeconds", check.timeoutSeconds(), 1, 600, errors);
        optionalRange("healthCheck.startPeriodSeconds", check.startPeriodSeconds(), 0, 3600, errors);
        optionalRange("healthCheck.failureThreshold", check.failureThreshold(), 1, 100, errors);
    }

    private static void validateRollout(RolloutPolicyRequest rollout, List<FieldError> errors) {
        if (rollout == null) {
            return;
        }
        if (rollout.maxSurge() != null && !RolloutPolicy.valid(rollout.maxSurge())) {
            errors.add(new FieldError("rolloutPolicy.maxSurge", "must be a count 0-100 or a percentage like 25%"));
        }
        if (rollout.maxUnavailable() != null && !RolloutPolicy.valid(rollout.maxUnavailable())) {
            errors.add(
                    new FieldError("rolloutPolicy.maxUnavailable", "must be a count 0-100 or a percentage like 25%"));
        }
        if (isZero(rollout.maxSurge()) && isZero(rollout.maxUnavailable())) {
            errors.add(new FieldError("rolloutPolicy.maxUnavailable",
                    "cannot be 0 when maxSurge is 0: nothing could move"));
        }
        optionalRange("rolloutPolicy.minReadySeconds", rollout.minReadySeconds(), 0, 3600, errors);
        optionalRange("rolloutPolicy.progressDeadlineSeconds", rollout.progressDeadlineSeconds(), 5, 86_400, errors);
    }

    private static boolean isZero(String value) {
        return value != null && (value.equals("0") || value.equals("0%"));
    }

    private static void optionalRange(String field, Integer value, int min, int max, List<FieldError> errors) {
        if (value != null) {
            range(field, value, min, max, errors);
        }
    }

    private static void validateName(String name, List<FieldError> errors) {
        if (name == null || name.isEmpty()) {
            errors.add(new FieldError("name", "is required"));
        } else if (name.length() > 63) {
            errors.add(new FieldError("name", "must be at most 63 characters"));
        } else if (!NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "must be a DNS label: lower case letters, digits and '-',"
                    + " starting and ending with a letter or digit"));
        }
    }

    private static void validateImage(String image, List<FieldError> errors) {
        if (image == null || image.isBlank()) {
            errors.add(new FieldError("image", "is required"));
        } else if (image.length() > MAX_IMAGE_LENGTH) {
            errors.add(new FieldError("image", "must be at most " + MAX_IMAGE_LENGTH + " characters"));
        } else {
            // the node's own parser: what passes here is what a node pulls (registry references, no local transport)
            try {
                ImageReference.parse(image);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("image", e.getMessage()));
            }
        }
    }

    private static void range(String field, Integer value, int min, int max, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
        } else if (value < min || value > max) {
            errors.add(new FieldError(field, "must be between " + min + " and " + max));
        }
    }

    private static void validateRestartPolicy(CreateDeploymentRequest.RestartPolicyRequest policy,
            List<FieldError> errors) {
        if (policy == null || policy.maxRetries() == null) {
            return;
        }
        if (policy.maxRetries() < 0 || policy.maxRetries() > MAX_RESTART_RETRIES) {
            errors.add(new FieldError("restartPolicy.maxRetries", "must be between 0 and " + MAX_RESTART_RETRIES));
        }
    }

    private static void validateImageCredentials(CreateDeploymentRequest.ImageCredentialsRequest login,
            List<FieldError> errors) {
        if (login == null) {
            return;
        }
        String username = login.username();
        if (username == null || username.isEmpty()) {
            errors.add(new FieldError("imageCredentials.username", "is required"));
        } else if (username.length() > MAX_USERNAME_LENGTH || username.contains(":")
                || username.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("imageCredentials.username", "must be at most " + MAX_USERNAME_LENGTH
                    + " characters without ':' or control characters"));
        }
        if (login.password() == null || login.password().isEmpty()) {
            errors.add(new FieldError("imageCredentials.password", "is required"));
        } else if (login.password().length() > MAX_PASSWORD_LENGTH) {
            errors.add(new FieldError("imageCredentials.password", "must be at most " + MAX_PASSWORD_LENGTH
                    + " characters"));
        }
    }

    private static void validatePorts(List<CreateDeploymentRequest.PortRequest> ports, List<FieldError> errors) {
        if (ports == null) {
            return;
        }
        if (ports.size() > MAX_PORTS) {
            errors.add(new FieldError("ports", "must have at most " + MAX_PORTS + " ports"));
            return;
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            CreateDeploymentRequest.PortRequest port = ports.get(i);
            String field = "ports[" + i + "].containerPort";
            if (port == null) {
                errors.add(new FieldError("ports[" + i + "]", "must not be null"));
            } else if (port.containerPort() == null) {
                errors.add(new FieldError(field, "is required"));
            } else if (port.containerPort() < 1 || port.containerPort() > 65_535) {
                errors.add(new FieldError(field, "must be between 1 and 65535"));
            } else if (!seen.add(port.containerPort())) {
                errors.add(new FieldError(field, "is listed twice"));
            }
        }
    }

    private static void validateCommand(List<String> command, List<FieldError> errors) {
        if (command == null) {
            return;
        }
        if (command.size() > MAX_COMMAND_ARGS) {
            errors.add(new FieldError("command", "must have at most " + MAX_COMMAND_ARGS + " arguments"));
            return;
        }
        if (command.isEmpty()) {
            errors.add(new FieldError("command", "must not be empty; leave it out to use the image's entrypoint"));
        }
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg == null) {
                errors.add(new FieldError("command[" + i + "]", "must not be null"));
            } else if (arg.length() > MAX_ARG_LENGTH) {
                errors.add(new FieldError("command[" + i + "]", "must be at most " + MAX_ARG_LENGTH + " characters"));
            } else if (arg.indexOf('\0') >= 0) {
                errors.add(new FieldError("command[" + i + "]", NUL));
            } else if (i == 0 && arg.isBlank()) {
                errors.add(new FieldError("command[0]", "must name the program to run"));
            }
        }
    }

    /** Env and secrets have the same rules: a process's environment, where NUL ends a string. */
    private static void validateVariables(String name, Map<String, String> env, List<FieldError> errors) {
        if (env == null) {
            return;
        }
        if (env.size() > MAX_ENV_VARS) {
            errors.add(new FieldError(name, "must have at most " + MAX_ENV_VARS + " variables"));
            return;
        }
        for (Map.Entry<String, String> entry : env.entrySet()) {
            String key = entry.getKey();
            String field = name + "." + key;
            if (key.length() > MAX_ENV_KEY_LENGTH || !ENV_KEY.matcher(key).matches()) {
                errors.add(new FieldError(field, "the name must match [A-Za-z_][A-Za-z0-9_]* and be at most "
                        + MAX_ENV_KEY_LENGTH + " characters"));
            } else if (entry.getValue() == null) {
                errors.add(new FieldError(field, "must be a string, not null"));
            } else if (entry.getValue().getBytes(StandardCharsets.UTF_8).length > MAX_ENV_VALUE_BYTES) {
                errors.add(new FieldError(field, "must be at most " + MAX_ENV_VALUE_BYTES + " bytes"));
            } else if (entry.getValue().indexOf('\0') >= 0) {
                errors.add(new FieldError(field, NUL));
            }
        }
    }

    private static void validateEnvAndSecretsTogether(Map<String, String> env, Map<String, String> secrets,
            List<FieldError> errors) {
        long envBytes = bytes(env);
        if (envBytes > MAX_ENV_TOTAL_BYTES) {
            errors.add(new FieldError("env", "names and values must total at most " + MAX_ENV_TOTAL_BYTES
                    + " bytes, not " + envBytes));
        } else if (envBytes + bytes(secrets) > MAX_ENV_TOTAL_BYTES) {
            errors.add(new FieldError("secrets", "names and values, with env's, must total at most "
                    + MAX_ENV_TOTAL_BYTES + " bytes, not " + (envBytes + bytes(secrets))));
        }
        if (env != null && secrets != null) {
            secrets.keySet().stream().filter(env::containsKey).sorted().forEach(key -> errors.add(
                    new FieldError("secrets." + key, "is also set in env; a variable is either plain or secret")));
        }
    }

    private static long bytes(Map<String, String> variables) {
        if (variables == null) {
            return 0;
        }
        long total = 0;
        for (Map.Entry<String, String> entry : variables.entrySet()) {
            total += entry.getKey().getBytes(StandardCharsets.UTF_8).length
                    + (entry.getValue() == null ? 0 : entry.getValue().getBytes(StandardCharsets.UTF_8).length);
        }
        return total;
    }
}

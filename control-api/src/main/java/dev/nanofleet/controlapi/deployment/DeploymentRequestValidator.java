package dev.nanofleet.controlapi.deployment;

import dev.nanofleet.events.ImageReference;
import dev.nanofleet.controlapi.problem.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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
        return errors;
    }

    /** Every problem with a scale request: the count has the same bounds as at create. */
    public static List<FieldError> validate(ScaleDeploymentRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            errors.add(new FieldError("", "a JSON object is required"));
            return errors;
        }
        range("replicas", request.replicas(), MIN_REPLICAS, MAX_REPLICAS, errors);
        return errors;
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

package dev.nanofleet.controlapi.tenant;

import dev.nanofleet.controlapi.problem.FieldError;
import dev.nanofleet.events.TenantTrust;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks the tenant bodies and names every bad field by its JSON path. Pure, so the rules are tested directly. */
public final class TenantRequestValidator {

    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_CPU_MILLIS = 10_000_000;
    public static final int MAX_MEMORY_MIB = 100_000_000;
    public static final int MAX_INSTANCES = 100_000;

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,30}[a-z0-9]");
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,62}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}");
    /** Names that read as the platform's own in logs, tokens and URLs. */
    private static final Set<String> RESERVED = Set.of("admin", "operator", "operators", "system", "nanofleet",
            "root", "node", "nodes");

    private TenantRequestValidator() {
    }

    public static List<FieldError> validate(TenantRequests.Create request) {
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            return List.of(new FieldError("", "a JSON object is required"));
        }
        if (request.id() == null || !ID.matcher(request.id()).matches()) {
            errors.add(new FieldError("id", "must be 3 to 32 lower case letters, digits or '-', starting with a letter"
                    + " and ending with a letter or digit"));
        } else if (RESERVED.contains(request.id())) {
            errors.add(new FieldError("id", "'" + request.id() + "' is reserved"));
        }
        name(request.name(), true, errors);
        trust(request.trust(), errors);
        quotas(request.quotas(), errors);
        if (request.firstUser() == null) {
            errors.add(new FieldError("firstUser", "is required: the tenant's first user, who signs in to add others"));
        } else {
            if (request.firstUser().username() == null
                    || !USERNAME.matcher(request.firstUser().username()).matches()) {
                errors.add(new FieldError("firstUser.username",
                        "must be 2 to 63 lower case letters, digits, '.', '_' or '-', starting with a letter or digit"));
            }
            String email = request.firstUser().email();
            if (email != null && !EMAIL.matcher(email).matches()) {
                errors.add(new FieldError("firstUser.email", "must be an e-mail address"));
            }
            personName("firstUser.firstName", request.firstUser().firstName(), errors);
            personName("firstUser.lastName", request.firstUser().lastName(), errors);
        }
        return errors;
    }

    public static List<FieldError> validate(TenantRequests.Update request) {
        List<FieldError> errors = new ArrayList<>();
        if (request == null) {
            return List.of(new FieldError("", "a JSON object is required"));
        }
        name(request.name(), false, errors);
        trust(request.trust(), errors);
        if (request.state() != null && parseState(request.state()) == null) {
            errors.add(new FieldError("state", "'" + request.state() + "' is not one of [active, suspended]"));
        }
        quotas(request.quotas(), errors);
        return errors;
    }

    /** The trust named, or null when it names none. */
    static TenantTrust parseTrust(String value) {
        return switch (value == null ? "" : value.trim().toLowerCase(Locale.ROOT)) {
            case "trusted" -> TenantTrust.TRUSTED;
            case "untrusted" -> TenantTrust.UNTRUSTED;
            default -> null;
        };
    }

    static TenantState parseState(String value) {
        try {
            return TenantState.parse(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void name(String name, boolean required, List<FieldError> errors) {
        if (name == null) {
            if (required) {
                errors.add(new FieldError("name", "is required"));
            }
        } else if (name.isBlank() || name.length() > MAX_NAME_LENGTH
                || name.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("name",
                    "must be 1 to " + MAX_NAME_LENGTH + " characters without control characters"));
        }
    }

    private static void personName(String field, String value, List<FieldError> errors) {
        if (value != null && (value.isBlank() || value.length() > MAX_NAME_LENGTH
                || value.chars().anyMatch(Character::isISOControl))) {
            errors.add(new FieldError(field,
                    "must be 1 to " + MAX_NAME_LENGTH + " characters without control characters"));
        }
    }

    private static void trust(String trust, List<FieldError> errors) {
        if (trust != null && parseTrust(trust) == null) {
            errors.add(new FieldError("trust", "'" + trust + "' is not one of [trusted, untrusted]"));
        }
    }

    private static void quotas(QuotaRequest.Both quotas, List<FieldError> errors) {
        if (quotas == null) {
            return;
        }
        quota("quotas.shared", quotas.shared(), errors);
        quota("quotas.hardware", quotas.hardware(), errors);
    }

    private static void quota(String path, QuotaRequest quota, List<FieldError> errors) {
        if (quota == null) {
            return;
        }
        bound(path + ".cpuMillis", quota.cpuMillis(), MAX_CPU_MILLIS, errors);
        bound(path + ".memoryMiB", quota.memoryMiB(), MAX_MEMORY_MIB, errors);
        bound(path + ".instances", quota.instances(), MAX_INSTANCES, errors);
    }

    private static void bound(String field, Integer value, int max, List<FieldError> errors) {
        if (value != null && (value < 0 || value > max)) {
            errors.add(new FieldError(field, "must be between 0 and " + max));
        }
    }
}

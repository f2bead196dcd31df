package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An RFC 9457 problem as the API sends it, read leniently: a proxy's HTML error page or an empty body still makes a
 * problem from the status alone.
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors,
        Map<String, String> extensions) {

    private static final Set<String> STANDARD = Set.of("type", "title", "status", "detail", "instance", "errors");

    public record FieldError(String field, String message) {
    }

    public static Problem parse(int status, String body, ObjectMapper json) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (Exception e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            return new Problem(null, reason(status), status, body == null || body.isBlank() ? null : firstLine(body),
                    List.of(), Map.of());
        }
        List<FieldError> errors = new ArrayList<>();
        for (JsonNode e : node.path("errors")) {
            errors.add(new FieldError(e.path("field").asText(null), e.path("message").asText(null)));
        }
        Map<String, String> extensions = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> {
            if (!STANDARD.contains(f.getKey())) {
                extensions.put(f.getKey(), Renderer.value(f.getValue()));
            }
        });
        return new Problem(node.path("type").asText(null), node.path("title").asText(reason(status)),
                node.path("status").asInt(status), node.path("detail").asText(null), List.copyOf(errors),
                Map.copyOf(extensions));
    }

    /** Whether the problem's type is {@code ...:<slug>} (control-api's and tenant-billing's type URIs end so). */
    public boolean is(String slug) {
        return type != null && (type.endsWith(":" + slug) || type.endsWith("/" + slug));
    }

    /** {@code <title>: <detail>} then one indented line per field error and per extension member. */
    public String describe() {
        StringBuilder text = new StringBuilder(title == null ? reason(status) : title);
        if (detail != null && !detail.isBlank() && !detail.equals(title)) {
            text.append(": ").append(detail);
        }
        for (FieldError e : errors) {
            text.append("\n  ").append(e.field() == null ? "(request)" : e.field()).append(": ").append(e.message());
        }
        new java.util.TreeMap<>(extensions).forEach((k, v) -> text.append("\n  ").append(k).append(": ").append(v));
        return text.toString();
    }

    private static String firstLine(String body) {
        String line = body.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Payload Too Large";
            case 422 -> "Unprocessable Content";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "HTTP " + status;
        };
    }
}

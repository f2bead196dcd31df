package dev.nanofleet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place output is shaped: aligned tables and {@code key: value} blocks for people, or the API's JSON unchanged
 * with {@code --json}, so a script sees the same fields the API documents.
 */
public final class Renderer {

    private final PrintWriter out;
    private final ObjectMapper json;
    private final boolean asJson;

    public Renderer(PrintWriter out, ObjectMapper json, boolean asJson) {
        this.out = out;
        this.json = json;
        this.asJson = asJson;
    }

    public boolean json() {
        return asJson;
    }

    /** Prints {@code node} as JSON, or else lets {@code human} print it. */
    public void render(JsonNode node, Runnable human) {
        if (asJson) {
            printJson(node);
        } else {
            human.run();
        }
        out.flush();
    }

    public void printJson(JsonNode node) {
        try {
            out.println(json.writeValueAsString(node == null ? json.nullNode() : node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void table(List<String> headers, List<List<String>> rows) {
        out.print(table(headers, rows, "(none)"));
    }

    public void fields(Map<String, String> fields) {
        out.print(fields(fields, ""));
    }

    public void line(String text) {
        out.println(text);
    }

    /**
     * Columns padded to their widest cell, two spaces apart, the last column unpadded; {@code empty} instead when there
     * are no rows. Nulls show as {@code -}.
     */
    public static String table(List<String> headers, List<List<String>> rows, String empty) {
        if (rows.isEmpty()) {
            return empty + "\n";
        }
        int[] widths = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], cell(row, i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = cell(row, i);
                line.append(cell);
                if (i < widths.length - 1) {
                    line.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    /** {@code key: value} lines with the values aligned; nulls show as {@code -}. */
    public static String fields(Map<String, String> fields, String indent) {
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder text = new StringBuilder();
        fields.forEach((k, v) -> text.append(indent).append(k).append(':').append(" ".repeat(width - k.length() + 1))
                .append(v == null || v.isEmpty() ? "-" : v).append('\n'));
        return text.toString();
    }

    private static String cell(List<String> row, int i) {
        String v = i < row.size() ? row.get(i) : null;
        return v == null || v.isEmpty() ? "-" : v.replace('\n', ' ');
    }

    /** A JSON field as text, null when missing or null; numbers exactly, in plain notation. */
    public static String text(JsonNode node, String field) {
        return value(node.path(field));
    }

    /** A JSON value as text, null when missing or null; numbers exactly, in plain notation ({@code 0.0000125}). */
    public static String value(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return v.decimalValue().toPlainString();
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    /** A JSON array of strings joined with commas. */
    public static String joined(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(i -> items.add(i.asText()));
        return String.join(",", items);
    }
}

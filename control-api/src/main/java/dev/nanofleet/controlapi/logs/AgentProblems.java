package dev.nanofleet.controlapi.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The reason in a problem a node agent answered with, passed on to the operator: only its {@code detail}, only text,
 * and short, so an agent cannot put anything else into control-api's answer.
 */
final class AgentProblems {

    static final int MAX_DETAIL = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentProblems() {
    }

    /** The problem's {@code detail}, without control characters and at most {@value #MAX_DETAIL} long; else the default. */
    static String detail(byte[] problem, String otherwise) {
        if (problem == null || problem.length == 0) {
            return otherwise;
        }
        try {
            JsonNode detail = JSON.readTree(problem).path("detail");
            if (!detail.isTextual() || detail.asText().isBlank()) {
                return otherwise;
            }
            String text = detail.asText().replaceAll("\\p{Cntrl}", " ").strip();
            return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "..." : text;
        } catch (IOException e) {
            return otherwise;
        }
    }
}

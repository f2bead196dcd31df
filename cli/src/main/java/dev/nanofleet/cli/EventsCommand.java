package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "events", mixinStandardHelpOptions = true, description = {
        "What happened to your deployments: created, scaled, revised, rolled out, replicas' states and health, exec "
                + "sessions, quota refusals (operators: every tenant's, and the nodes').",
        "Oldest first. With -f it goes on printing new events; a dropped connection is resumed after the last event "
                + "printed, so nothing is missed or printed twice."}, footer = {"", "Examples:",
                        "  nanofleet events --since 1h", "  nanofleet events -f --deployment hello",
                        "  nanofleet events --type instance.state-changed,instance.health-changed --json"})
final class EventsCommand implements Callable<Integer> {

    private static final int PAGE = 500;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    @Mixin
    GlobalOptions global;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted.")
    boolean follow;

    @Option(names = "--deployment", paramLabel = "ID|NAME", description = "Only this deployment's events.")
    String deployment;

    @Option(names = "--type", paramLabel = "TYPE", split = ",", description = "Only these types (repeatable or comma-separated), e.g. deployment.scaled.")
    List<String> types;

    @Option(names = "--since", paramLabel = "AGE|TIME", description = "Only events since a time ago (90s, 5m, 1h, 2d) or an RFC 3339 time.")
    String since;

    @Option(names = "--tenant", paramLabel = "ID", description = "Operators: only this tenant's events.")
    String tenant;

    private final CliContext ctx;

    EventsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        ApiClient api = global.api(ctx);
        Renderer renderer = global.renderer(ctx);
        String filters = filters(api);
        if (!follow) {
            ArrayNode all = ctx.json().createArrayNode();
            String after = null;
            do {
                // after= the page's last id continues the list as the Link header's cursor would
                JsonNode page = api
                        .get("/v1/events?limit=" + PAGE + filters + (after == null ? "" : "&after=" + after));
                page.forEach(all::add);
                after = page.size() == PAGE ? page.get(PAGE - 1).path("id").asText() : null;
            } while (after != null);
            renderer.render(all, () -> all.forEach(e -> renderer.line(line(e))));
            return ExitCodes.OK;
        }
        follow(api, renderer, filters);
        return ExitCodes.OK;
    }

    /** Follows until interrupted; reconnects after a dropped connection with the last id received. */
    private void follow(ApiClient api, Renderer renderer, String filters) throws InterruptedException {
        String lastId = null;
        Duration backoff = Duration.ofSeconds(1);
        while (true) {
            try (InputStream stream = api.events("/v1/events?follow=true" + filters, lastId)) {
                backoff = Duration.ofSeconds(1);
                lastId = read(stream, renderer, lastId);
            } catch (IOException e) {
                // the connection dropped mid-stream: resume below
            } catch (CliException e) {
                if (e.exitCode() != ExitCodes.UNREACHABLE) {
                    throw e;
                }
            }
            ctx.err().println("connection lost; reconnecting in " + backoff.toSeconds() + "s"
                    + (lastId == null ? "" : " after event " + lastId));
            ctx.err().flush();
            ctx.sleeper().sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** Prints each event of the stream as it comes; returns the id of the last one (or {@code lastId}). */
    private String read(InputStream stream, Renderer renderer, String lastId) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    JsonNode event = ctx.json().readTree(data.toString());
                    if (renderer.json()) {
                        renderer.printJson(event); // one JSON object a line
                    } else {
                        renderer.line(line(event));
                    }
                    ctx.out().flush();
                    lastId = id != null ? id : event.path("id").asText(lastId);
                }
                id = null;
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = line.substring(3).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            }
            // comments (": keep-alive") and retry: lines only keep the connection open
        }
        return lastId;
    }

    /** The query's filters, each as {@code &name=value}. */
    private String filters(ApiClient api) {
        StringBuilder query = new StringBuilder();
        if (deployment != null) {
            query.append("&deployment=").append(ApiClient.segment(Deployments.id(api, deployment)));
        }
        if (types != null && !types.isEmpty()) {
            query.append("&type=").append(ApiClient.segment(String.join(",", types)));
        }
        if (since != null) {
            query.append("&since=").append(ApiClient.segment(since(since)));
        }
        if (tenant != null) {
            query.append("&tenant=").append(ApiClient.segment(tenant));
        }
        return query.toString();
    }

    /** An age ({@code 1h}, {@code 2d}) becomes the time that long ago; an RFC 3339 time goes as it is. */
    String since(String value) {
        try {
            return OffsetDateTime.parse(value.strip()).toInstant().toString();
        } catch (DateTimeParseException e) {
            // not a time: an age
        }
        String v = value.strip();
        Duration age;
        if (v.endsWith("d") && v.length() > 1 && v.substring(0, v.length() - 1).chars().allMatch(Character::isDigit)) {
            age = Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)));
        } else {
            try {
                age = new DurationConverter().convert(v);
            } catch (CommandLine.TypeConversionException e) {
                throw new CliException(ExitCodes.USAGE, "--since: '" + value
                        + "' is neither an age (90s, 5m, 1h, 2d) nor an RFC 3339 time (2026-12-01T10:00:00Z)");
            }
        }
        return ctx.clock().instant().minus(age).toString();
    }

    /** One event as a line: time, type, deployment (short id), instance (short id), what happened. */
    static String line(JsonNode event) {
        return String.join("  ", event.path("time").asText(), pad(event.path("type").asText(), 29),
                pad(shortId(event.path("deploymentId")), 8), pad(shortId(event.path("instanceId")), 8),
                summary(event));
    }

    /** The payload's telling fields, {@code name=value}, ids and the tenant left out (they have their columns). */
    static String summary(JsonNode event) {
        List<String> parts = new ArrayList<>();
        JsonNode data = event.path("data");
        Iterator<Map.Entry<String, JsonNode>> fields = data.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals("tenant") || name.endsWith("Id") || value.isNull() || value.isContainerNode()) {
                continue;
            }
            parts.add(name + "=" + value.asText());
        }
        if (event.hasNonNull("actor")) {
            parts.add("by " + event.path("actor").asText());
        }
        return String.join(" ", parts);
    }

    private static String shortId(JsonNode id) {
        return id.isNull() || id.isMissingNode() ? "-" : id.asText().substring(0, Math.min(8, id.asText().length()));
    }

    private static String pad(String value, int width) {
        return value.length() >= width ? value : value + " ".repeat(width - value.length());
    }
}

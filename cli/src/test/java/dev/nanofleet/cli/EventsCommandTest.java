package dev.nanofleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nanofleet events} against a small HTTP server that answers like the API. */
class EventsCommandTest {

    private static final String DEPLOYMENT = "3f0c2a8e-5b1d-4c6e-9f7a-0123456789ab";

    @TempDir
    Path config;

    private FakeApi api;
    private CliRun cli;

    @BeforeEach
    void start() throws IOException {
        api = new FakeApi();
        cli = new CliRun(api.url(), config);
        cli.env.put("NANOFLEET_TOKEN", "nfk_test");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static String event(int id, String type, String data) {
        return "{\"id\":\"" + id + "\",\"eventId\":\"00000000-0000-0000-0000-00000000000" + id + "\",\"type\":\""
                + type + "\",\"time\":\"2026-01-01T00:00:0" + id + "Z\",\"tenant\":\"acme\",\"deploymentId\":\""
                + DEPLOYMENT + "\",\"instanceId\":null,\"actor\":null,\"data\":" + data + "}";
    }

    private static String sse(int id, String type, String data) {
        return "id: " + id + "\ndata: " + event(id, type, data) + "\n\n";
    }

    @Test
    void a_dropped_follow_reconnects_after_the_last_event_so_nothing_is_missed_or_printed_twice() {
        AtomicInteger calls = new AtomicInteger();
        api.on("GET", "/v1/events?follow=true&deployment=" + DEPLOYMENT, r -> switch (calls.incrementAndGet()) {
            // each answer ends the stream, as a dropped connection does
            case 1 -> new FakeApi.Response(200, "text/event-stream", "retry: 2000\n: following\n\n"
                    + sse(1, "deployment.created", "{\"name\":\"hello\"}") + ": keep-alive\n\n"
                    + sse(2, "deployment.scaled", "{\"replicas\":3}"));
            case 2 -> new FakeApi.Response(200, "text/event-stream",
                    sse(3, "instance.state-changed", "{\"state\":\"running\",\"reason\":null}"));
            default -> FakeApi.problem(403, "Forbidden", "stop here");
        });

        int code = cli.run("events", "-f", "--deployment", DEPLOYMENT);

        assertThat(code).isEqualTo(ExitCodes.API_ERROR);
        assertThat(api.requests).extracting(FakeApi.Request::lastEventId).containsExactly(null, "2", "3");
        assertThat(cli.out().lines().toList()).containsExactly(
                "2026-01-01T00:00:01Z  deployment.created             3f0c2a8e  -         name=hello",
                "2026-01-01T00:00:02Z  deployment.scaled              3f0c2a8e  -         replicas=3",
                "2026-01-01T00:00:03Z  instance.state-changed         3f0c2a8e  -         state=running");
        assertThat(cli.err()).contains("reconnecting in 1s after event 2").contains("after event 3");
    }

    @Test
    void a_list_sends_the_filters_with_an_age_as_a_time_and_json_prints_the_apis_events() throws Exception {
        String body = "[" + event(1, "deployment.scaled", "{\"replicas\":2}") + "]";
        // CliRun's clock says 2026-01-01T00:00:00Z: an hour ago is the last hour of 2025
        api.on("GET", "/v1/events?limit=500&type=deployment.scaled%2Cinstance.placed&since=2025-12-31T23%3A00%3A00Z",
                200, body);

        assertThat(cli.run("events", "--type", "deployment.scaled,instance.placed", "--since", "1h", "--json"))
                .isEqualTo(0);

        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(cli.out())).isEqualTo(json.readTree(body));
    }

    @Test
    void a_since_that_is_neither_an_age_nor_a_time_is_a_usage_error() {
        assertThat(cli.run("events", "--since", "yesterday")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("--since");
        assertThat(api.requests).isEmpty();
    }
}

package dev.nanofleet.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the CLI in-process with a given environment, stdin and a fake clock that the sleeper advances (so a 5-minute
 * time-out takes no time), and keeps what it printed.
 */
final class CliRun {

    final Map<String, String> env = new HashMap<>();
    String stdin = "";
    boolean interactive;
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    CliRun(String apiUrl, Path configHome) {
        env.put("NANOFLEET_API_URL", apiUrl);
        env.put("XDG_CONFIG_HOME", configHome.toString());
    }

    int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        CliContext.Sleeper sleeper = (Duration d) -> now = now.plus(d);
        CliContext ctx = new CliContext(Map.copyOf(env), new ByteArrayInputStream(stdin.getBytes(
                StandardCharsets.UTF_8)), new PrintWriter(out, true), new PrintWriter(err, true), interactive, clock,
                sleeper, CliContext.httpClient(), CliContext.objectMapper());
        return Nanofleet.run(ctx, args);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }
}

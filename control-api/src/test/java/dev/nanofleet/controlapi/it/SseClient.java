package dev.nanofleet.controlapi.it;

import io.restassured.RestAssured;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client for {@code GET /v1/events?follow=true}, as a browser's EventSource reads the stream:
 * {@code id:} and {@code data:} lines, comments ignored, an empty line ends an event. Each event is stamped with the
 * time it arrived. {@link #close()} drops the connection, as a network failure would.
 */
final class SseClient implements AutoCloseable {

    /** One event as received. */
    record Received(String id, String data, long receivedNanos) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final InputStream body;
    private final BlockingQueue<Received> events = new LinkedBlockingQueue<>();
    private final int status;
    private final String contentType;
    private final Thread reader;

    private SseClient(HttpResponse<InputStream> response) {
        this.body = response.body();
        this.status = response.statusCode();
        this.contentType = response.headers().firstValue("Content-Type").orElse("");
        this.reader = Thread.ofPlatform().daemon().name("sse-client").start(this::read);
    }

    /** Opens {@code /v1/events?follow=true&<query>}, sending {@code Last-Event-ID} when not null. */
    static SseClient open(String token, String query, String lastEventId) {
        HttpRequest.Builder request = HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/v1/events?follow=true"
                        + (query.isEmpty() ? "" : "&" + query)))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return status;
    }

    String contentType() {
        return contentType;
    }

    /** The next event, waiting up to {@code timeout}; null if none came. */
    Received next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next {@code count} events; fails when they do not all come within {@code deadline}. */
    List<Received> take(int count, Duration deadline) throws InterruptedException {
        List<Received> taken = new ArrayList<>();
        long end = System.nanoTime() + deadline.toNanos();
        while (taken.size() < count) {
            Received next = events.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("got " + taken.size() + " of " + count + " events within " + deadline);
            }
            taken.add(next);
        }
        return taken;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Received(id, data.toString(), System.nanoTime()));
                    }
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        } catch (IOException e) {
            // closed: the connection dropped
        }
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // already gone
        }
        reader.interrupt();
    }
}

package dev.nanofleet.node.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs a host tool to completion with a deadline and captures what it printed. */
public final class Exec {

    /** Stream readers get their own threads: the common pool may be busy with callers that wait on us. */
    private static final java.util.concurrent.ExecutorService READERS = java.util.concurrent.Executors
            .newThreadPerTaskExecutor(Thread.ofVirtual().name("exec-reader-", 0).factory());

    private Exec() {
    }

    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** stderr, or stdout when stderr is empty, trimmed: what a person wants to read when the tool failed. */
        public String message() {
            String text = stderr.isBlank() ? stdout : stderr;
            return text.strip();
        }
    }

    /** Runs {@code command}; a tool that does not exist or outlives {@code timeout} yields exit code 127 or 124. */
    public static Result run(List<String> command, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            return new Result(command, 127, "", "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()), READERS);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()), READERS);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new Result(command, 124, out.getNow(""), String.join(" ", command) + " timed out after "
                        + timeout.toSeconds() + " s");
            }
            return new Result(command, process.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(command, 130, "", "interrupted");
        } catch (ExecutionException e) {
            return new Result(command, process.exitValue(), "", String.valueOf(e.getCause()));
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.nanofleet.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's {@code openssl}, run with a deadline; what it says on standard error goes to a log file beside its work. */
final class Openssl {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final Path log;

    Openssl(Path log) {
        this.log = log;
    }

    /** Runs {@code openssl args...}; fails unless it exits 0. */
    void run(String... args) throws IOException, InterruptedException {
        output(args);
    }

    /** Whether {@code openssl args...} exits 0 (its checks answer through the exit code). */
    boolean succeeds(String... args) throws IOException, InterruptedException {
        return exec(args).exit() == 0;
    }

    /** What {@code openssl args...} writes on standard output; fails unless it exits 0. */
    String output(String... args) throws IOException, InterruptedException {
        Result result = exec(args);
        if (result.exit() != 0) {
            throw new IOException("openssl " + args[0] + " failed (exit " + result.exit() + "); see " + log);
        }
        return result.output();
    }

    private record Result(int exit, String output) {
    }

    private Result exec(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        // the outputs read here are a few kilobytes, so reading before waiting cannot fill a pipe and stall
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl " + args[0] + " took over " + DEADLINE);
        }
        return new Result(process.exitValue(), output);
    }
}

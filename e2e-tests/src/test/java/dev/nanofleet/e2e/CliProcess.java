package dev.nanofleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.FleetHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code nanofleet} jar run as a user's shell runs it: its own process, configured only by the
 * environment given (no inherited NANOFLEET_* variables or config directory).
 */
final class CliProcess {

    static final Duration COMMAND_DEADLINE = Duration.ofMinutes(4);

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path jar;
    private final Path work;

    CliProcess(Path work) {
        this.jar = FleetHome.repoRoot().resolve("cli/target/nanofleet.jar");
        this.work = work;
        assertThat(jar).as("the CLI jar (built by the cli module, which e2e-tests depends on)").isRegularFile();
    }

    /** The environment of a user of this platform whose config lives in {@code config}. */
    static Map<String, String> environment(SharedPlatform platform, Path config) {
        Map<String, String> env = new HashMap<>();
        env.put("NANOFLEET_API_URL", platform.environment().get("NANOFLEET_API_URL"));
        env.put("NANOFLEET_OIDC_ISSUER", platform.environment().get("NANOFLEET_OIDC_ISSUER"));
        env.put("XDG_CONFIG_HOME", config.toString());
        return env;
    }

    Result run(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
        return run(COMMAND_DEADLINE, env, stdin, args);
    }

    /** With a deadline of its own, for a command that waits longer (a rollout of VMs under emulation). */
    Result run(Duration deadline, Map<String, String> env, String stdin, String... args) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of(FleetHome.javaBin().toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("NANOFLEET_") || k.equals("XDG_CONFIG_HOME"));
        builder.environment().putAll(env);
        Path out = Files.createTempFile(work, "out-", ".txt");
        Path err = Files.createTempFile(work, "err-", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        if (!process.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("nanofleet " + String.join(" ", args) + " did not end within "
                    + deadline + "\n" + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}

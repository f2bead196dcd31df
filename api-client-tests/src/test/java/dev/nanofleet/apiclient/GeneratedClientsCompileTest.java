package dev.nanofleet.apiclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.testsupport.HostTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TypeScript and Python clients openapi-generator wrote at generate-test-sources compile without hand edits. The
 * TypeScript one (typescript-fetch) is type-checked with the tsc pinned in src/test/typescript/package-lock.json,
 * together with a program that uses it; the Python one is byte-compiled and its imports are resolved statically
 * (src/test/python/check_client.py), since its dependencies cannot be installed here (no PyPI).
 *
 * <p>
 * node, npm and python3 are host tools: missing, they fail the test when {@code CI=true} and skip it otherwise.
 */
class GeneratedClientsCompileTest {

    private static final Path CLIENTS = Path
            .of(System.getProperty("nanofleet.clients.dir", "target/generated-clients"));
    private static final Path SOURCES = Path.of(System.getProperty("nanofleet.test.sources", "src/test"));
    private static final Path WORK = Path.of(System.getProperty("nanofleet.clients.work", "target/client-checks"));

    @BeforeEach
    void clientsWereGenerated() {
        Assumptions.assumeFalse(Boolean.getBoolean("nanofleet.clients.others.skip")
                || Boolean.getBoolean("nanofleet.codegen.skip"),
                "-Dclients.others.skip=true or -Dcodegen.skip=true: the Python and TypeScript clients were not generated");
    }

    @Test
    void the_typescript_client_and_a_program_using_it_type_check_with_tsc() throws Exception {
        Path node = require("node", "nodejs");
        Path npm = require("npm", "npm");
        assertThat(CLIENTS.resolve("typescript/apis/DeploymentsApi.ts")).isRegularFile();
        Path project = SOURCES.resolve("typescript");
        // npm installs into target, so node_modules never lands in the source tree; ~/.npm caches the download
        Path install = Files.createDirectories(WORK.resolve("typescript"));
        for (String f : List.of("package.json", "package-lock.json")) {
            Files.copy(project.resolve(f), install.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        run(install, 300, npm.toString(), "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error");
        Path tsc = install.resolve("node_modules/typescript/bin/tsc");
        run(project, 120, node.toString(), tsc.toAbsolutePath().toString(), "--noEmit", "-p", "tsconfig.json");
    }

    @Test
    void the_python_client_byte_compiles_and_its_imports_resolve() throws Exception {
        Path python = require("python3", "python3");
        Path client = CLIENTS.resolve("python");
        assertThat(client.resolve("nanofleet_client/api/deployments_api.py")).isRegularFile();
        run(client, 120, python.toString(), "-m", "compileall", "-q", "-f", ".");
        run(client, 120, python.toString(), SOURCES.resolve("python/check_client.py").toAbsolutePath().toString(), ".",
                "nanofleet_client");
    }

    /** HostTools' rule (fail when CI=true, else skip), with the Debian package that brings the tool. */
    private static Path require(String tool, String debianPackage) {
        if (HostTools.find(tool).isEmpty()) {
            System.err.printf("[nanofleet] %s is missing: apt-get install %s (./fleet test installs it as root)%n",
                    tool, debianPackage);
        }
        return HostTools.require(tool);
    }

    /** Runs the command in dir; fails with its output unless it exits 0 within the timeout. */
    private static void run(Path dir, int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(Files.createDirectories(WORK), "run", ".log");
        long started = System.nanoTime();
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        String what = String.join(" ", command) + " (in " + dir + ")";
        System.out.printf("[nanofleet] %s: %d ms%n%s", what, (System.nanoTime() - started) / 1_000_000, output);
        assertThat(exited).as("%s finished within %d s%n%s", what, timeoutSeconds, output).isTrue();
        assertThat(process.exitValue()).as("%s exit status%n%s", what, output).isZero();
    }
}

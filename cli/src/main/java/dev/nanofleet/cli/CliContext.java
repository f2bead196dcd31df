package dev.nanofleet.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What every command needs from the world: environment, standard streams, a clock and a way to pause. Commands get it
 * in their constructor, so tests run them against a fake environment and in-memory streams.
 *
 * @param interactive whether stdin is a terminal (prompts are only shown then)
 */
public record CliContext(Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err,
        boolean interactive, Clock clock, Sleeper sleeper, HttpClient http, ObjectMapper json) {

    /** The default API: control-api as {@code ./fleet up} starts it (see deploy/launcher FleetPorts). */
    public static final String DEFAULT_API_URL = "http://127.0.0.1:18081";
    /** The default issuer: the realm {@code ./fleet up} imports into its Keycloak. */
    public static final String DEFAULT_ISSUER = "http://127.0.0.1:18080/realms/nanofleet";

    /** Pauses between polls; tests pass one that advances a fake clock instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * Reads decimals as BigDecimal with their scale (money is never a double: {@code 25.00} stays {@code 25.00}) and
     * writes them in plain notation, so {@code --json} prints the API's amounts as it sent them.
     */
    public static ObjectMapper objectMapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    }

    public static HttpClient httpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** {@code $XDG_CONFIG_HOME/nanofleet}, else {@code ~/.config/nanofleet}. */
    public Path configDir() {
        String xdg = env("XDG_CONFIG_HOME");
        Path base = xdg != null
                ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("nanofleet");
    }
}

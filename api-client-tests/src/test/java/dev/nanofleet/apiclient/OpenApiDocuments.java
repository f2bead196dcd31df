package dev.nanofleet.apiclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The OpenAPI documents control-api's build wrote (quarkus.smallrye-openapi.store-schema-directory): the tenant API's
 * {@code openapi.json} and the node API's {@code node-api.json}, in {@code control-api/target/openapi}.
 */
final class OpenApiDocuments {

    static final String TENANT_API = "openapi.json";
    static final String NODE_API = "node-api.json";

    private OpenApiDocuments() {
    }

    static Path path(String file) {
        Path dir = Path.of(System.getProperty("nanofleet.openapi.dir", "../control-api/target/openapi"));
        Path path = dir.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path.toAbsolutePath() + " is missing: build control-api first"
                    + " (./fleet mvn -pl control-api -am install -DskipTests)");
        }
        return path;
    }

    static JsonNode read(String file) {
        try {
            return new ObjectMapper().readTree(path(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

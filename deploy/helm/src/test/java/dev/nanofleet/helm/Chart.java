package dev.nanofleet.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart in {@code deploy/helm/nanofleet}, driven through helm-java (Helm compiled into a native library, run
 * in-process: no helm binary, no cluster, no network). Values are given as {@code --set} pairs, as an operator would.
 */
final class Chart {

    static final String RELEASE = "nf";
    static final String NAMESPACE = "nanofleet";
    /** The Kubernetes version rendered for (helm template without a cluster would assume 1.20, below kubeVersion). */
    static final String KUBE_VERSION = "1.31.0";

    private static final ObjectMapper YAML = new YAMLMapper();

    private final Path directory;

    private Chart(Path directory) {
        this.directory = directory;
    }

    /** The chart of this checkout; Maven passes its folder, an IDE run falls back to the module's layout. */
    static Chart ofThisCheckout() {
        String configured = System.getProperty("nanofleet.chart.dir");
        Path directory = configured != null ? Path.of(configured) : Path.of("nanofleet").toAbsolutePath();
        if (!Files.isRegularFile(directory.resolve("Chart.yaml"))) {
            throw new IllegalStateException("no chart at " + directory);
        }
        return new Chart(directory);
    }

    Path directory() {
        return directory;
    }

    /** {@code helm template} with the chart's values and these {@code --set} pairs; Helm's error text on failure. */
    Rendered render(Map<String, Object> sets) {
        TemplateCommand template = new Helm(directory).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        sets.forEach(template::set);
        return Rendered.of(template.call());
    }

    Rendered render() {
        return render(Map.of());
    }

    /** {@code helm lint --strict} of the chart as it is. */
    LintResult lint() {
        return new Helm(directory).lint().strict().call();
    }

    /**
     * {@code helm lint --strict} of a copy of the chart whose values.yaml has these values changed (helm lint takes no
     * --set): the same check an operator's edited values file would get.
     */
    LintResult lintWithValues(Path workDirectory, Map<String, Object> changes) {
        Path copy = workDirectory.resolve("nanofleet");
        copyTree(directory, copy);
        Path values = copy.resolve("values.yaml");
        try {
            ObjectNode tree = (ObjectNode) YAML.readTree(values.toFile());
            changes.forEach((path, value) -> put(tree, path, value));
            YAML.writeValue(values.toFile(), tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Helm(copy).lint().strict().call();
    }

    private static void put(ObjectNode tree, String dottedPath, Object value) {
        String[] keys = dottedPath.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < keys.length - 1; i++) {
            node = (ObjectNode) node.get(keys[i]);
        }
        node.set(keys[keys.length - 1], YAML.valueToTree(value));
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documents {@code helm template} printed, each as a JSON tree, in order. */
    record Rendered(String text, List<JsonNode> documents) {

        static Rendered of(String text) {
            List<JsonNode> documents = new ArrayList<>();
            try (var parser = new YAMLFactory().createParser(text)) {
                var iterator = YAML.readValues(parser, JsonNode.class);
                while (iterator.hasNext()) {
                    JsonNode document = iterator.next();
                    if (document != null && !document.isNull() && !document.isEmpty()) {
                        documents.add(document);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Rendered(text, List.copyOf(documents));
        }

        List<JsonNode> ofKind(String kind) {
            return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        }

        JsonNode one(String kind, String name) {
            return documents.stream()
                    .filter(d -> kind.equals(d.path("kind").asText()))
                    .filter(d -> name.equals(d.path("metadata").path("name").asText()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " among " + kindsAndNames()));
        }

        List<String> kindsAndNames() {
            return documents.stream()
                    .map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText())
                    .toList();
        }

        List<String> kinds() {
            return documents.stream().map(d -> d.path("kind").asText()).distinct().sorted().toList();
        }

        /** The environment of a Deployment's first container, by variable name. */
        Map<String, JsonNode> env(String deployment) {
            Map<String, JsonNode> env = new LinkedHashMap<>();
            one("Deployment", deployment).at("/spec/template/spec/containers/0/env")
                    .forEach(e -> env.put(e.path("name").asText(), e));
            return env;
        }
    }
}

package dev.nanofleet.controlapi.openapi;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Keeps only the component schemas a document's operations reach. Both documents are scanned from one application, so
 * each would otherwise carry the other's types (the scanner registers every type it meets, whichever document uses it).
 */
final class UsedSchemas {

    private static final String PREFIX = "#/components/schemas/";

    private UsedSchemas() {
    }

    static void prune(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        if (schemas == null || schemas.isEmpty()) {
            return;
        }
        Deque<Schema> todo = new ArrayDeque<>();
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            openAPI.getPaths().getPathItems().values().forEach(item -> {
                if (item.getParameters() != null) {
                    item.getParameters().forEach(p -> todo.addAll(parameter(p)));
                }
                item.getOperations().values().forEach(op -> todo.addAll(operation(op)));
            });
        }
        if (openAPI.getComponents().getResponses() != null) {
            openAPI.getComponents().getResponses().values().forEach(r -> todo.addAll(response(r)));
        }
        Set<String> used = new HashSet<>();
        while (!todo.isEmpty()) {
            Schema schema = todo.pop();
            if (schema.getRef() != null && schema.getRef().startsWith(PREFIX)) {
                String name = schema.getRef().substring(PREFIX.length());
                if (used.add(name) && schemas.get(name) != null) {
                    todo.push(schemas.get(name));
                }
            }
            children(schema).forEach(todo::push);
        }
        Set<String> unused = new HashSet<>(schemas.keySet());
        unused.removeAll(used);
        unused.forEach(openAPI.getComponents()::removeSchema);
    }

    private static List<Schema> operation(Operation op) {
        Stream<Schema> parameters = op.getParameters() == null
                ? Stream.empty()
                : op.getParameters().stream().flatMap(p -> parameter(p).stream());
        Stream<Schema> body = op.getRequestBody() == null
                ? Stream.empty()
                : content(op.getRequestBody().getContent()).stream();
        Stream<Schema> responses = op.getResponses() == null || op.getResponses().getAPIResponses() == null
                ? Stream.empty()
                : op.getResponses().getAPIResponses().values().stream().flatMap(r -> response(r).stream());
        return Stream.of(parameters, body, responses).flatMap(s -> s).toList();
    }

    private static List<Schema> parameter(Parameter parameter) {
        return Stream.concat(Stream.ofNullable(parameter.getSchema()), content(parameter.getContent()).stream())
                .toList();
    }

    private static List<Schema> response(APIResponse response) {
        Stream<Schema> headers = response.getHeaders() == null
                ? Stream.empty()
                : response.getHeaders().values().stream().map(h -> h.getSchema()).filter(Objects::nonNull);
        return Stream.concat(headers, content(response.getContent()).stream()).toList();
    }

    private static List<Schema> content(Content content) {
        if (content == null || content.getMediaTypes() == null) {
            return List.of();
        }
        return content.getMediaTypes().values().stream().map(m -> m.getSchema()).filter(Objects::nonNull).toList();
    }

    private static List<Schema> children(Schema schema) {
        Stream<Schema> single = Stream.of(schema.getItems(), schema.getAdditionalPropertiesSchema(), schema.getNot(),
                schema.getPropertyNames()).filter(Objects::nonNull);
        Stream<Schema> properties = schema.getProperties() == null
                ? Stream.empty()
                : schema.getProperties().values().stream();
        Stream<Schema> composed = Stream.of(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())
                .filter(Objects::nonNull).flatMap(List::stream);
        return Stream.of(single, properties, composed).flatMap(s -> s).toList();
    }
}

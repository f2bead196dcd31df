package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Finds a deployment by id or by name; names are what people type, ids what the API wants. */
final class Deployments {

    private Deployments() {
    }

    static JsonNode resolve(ApiClient api, String idOrName) {
        if (isUuid(idOrName)) {
            return api.get("/v1/deployments/" + idOrName);
        }
        List<JsonNode> named = new ArrayList<>();
        // the live deployments whose name starts with it: a name is unique among live ones, and the API's filter keeps
        // the answer one small page however many deployments the tenant has
        for (JsonNode d : api.get("/v1/deployments?limit=500&name=" + ApiClient.segment(idOrName))) {
            if (idOrName.equals(d.path("name").asText()) && !d.hasNonNull("deletedAt")) {
                named.add(d);
            }
        }
        if (named.isEmpty()) {
            throw new CliException(ExitCodes.API_ERROR, "no deployment named " + idOrName);
        }
        if (named.size() > 1) {
            throw new CliException(ExitCodes.API_ERROR, "several deployments are named " + idOrName
                    + "; give one of their ids: " + String.join(", ", named.stream().map(d -> d.path("id").asText())
                            .toList()));
        }
        return named.get(0);
    }

    static String id(ApiClient api, String idOrName) {
        return isUuid(idOrName) ? idOrName : resolve(api, idOrName).path("id").asText();
    }

    static boolean isUuid(String value) {
        try {
            return UUID.fromString(value).toString().equalsIgnoreCase(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

package dev.nanofleet.controlapi.openapi;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The schema of an isolation mode as answers spell it (lower case, {@code EnumNames.json}), for fields the views
 * hold as strings. Never instantiated.
 */
@Schema(name = "Isolation", type = SchemaType.STRING, enumeration = {"hardware",
        "shared"}, description = "hardware: its own VM; shared: a container sharing the node's kernel")
public final class IsolationName {

    private IsolationName() {
    }
}

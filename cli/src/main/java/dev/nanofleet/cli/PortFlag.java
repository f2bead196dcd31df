package dev.nanofleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * {@code --port PORT[/PROTOCOL]}: {@code 8080} (http, as before protocols existed), {@code 8080/http} or
 * {@code 5432/tcp}. The number's range is the API's to check; a protocol other than http or tcp is refused here,
 * since the flag's own syntax names them.
 *
 * @param protocol {@code http}, {@code tcp}, or null when the flag named none (the API's default, http)
 */
record PortFlag(int containerPort, String protocol) {

    static PortFlag parse(String value) {
        String v = value.strip();
        int slash = v.indexOf('/');
        String protocol = slash < 0 ? null : v.substring(slash + 1).toLowerCase(Locale.ROOT);
        if (protocol != null && !protocol.equals("http") && !protocol.equals("tcp")) {
            throw new CommandLine.TypeConversionException("'" + value
                    + "': the protocol must be http or tcp, e.g. 8080, 8080/http or 5432/tcp");
        }
        try {
            return new PortFlag(Integer.parseInt(slash < 0 ? v : v.substring(0, slash)), protocol);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value
                    + "' is not PORT or PORT/PROTOCOL, e.g. 8080, 8080/http or 5432/tcp");
        }
    }

    void writeTo(ObjectNode port) {
        port.put("containerPort", containerPort);
        if (protocol != null) {
            port.put("protocol", protocol);
        }
    }

    static final class Converter implements CommandLine.ITypeConverter<PortFlag> {
        @Override
        public PortFlag convert(String value) {
            return parse(value);
        }
    }

    /**
     * A deployment's tcp ports as {@code EDGEPORT->PORT} (where to connect on the edge's address, and the port it
     * reaches), e.g. {@code 20000->5432}; empty without tcp ports. A tcp port the platform had no edge port for shows
     * {@code none}.
     */
    static String edgePorts(JsonNode deployment) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : deployment.path("ports")) {
            if ("tcp".equals(p.path("protocol").asText())) {
                out.add((p.hasNonNull("edgePort") ? p.get("edgePort").asText() : "none") + "->"
                        + p.path("containerPort").asText());
            }
        }
        return String.join(",", out);
    }
}

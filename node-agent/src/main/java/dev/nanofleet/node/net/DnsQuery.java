package dev.nanofleet.node.net;

import dev.nanofleet.nodeapi.PrivateNetwork;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A UDP DNS query read off the wire, as a tenant bridge's DNS ({@link InternalDns}) needs it: pure. Only the header
 * and the one question are read; compression pointers in a query are not accepted (no resolver sends them there).
 */
sealed interface DnsQuery {

    int HEADER = 12;

    /** Not worth an answer: too short to carry an id, or itself an answer. */
    record Ignored() implements DnsQuery {
    }

    /** Answered by its code alone (FORMERR, NOTIMP), with no question echoed. */
    record Malformed(int rcode) implements DnsQuery {
    }

    /**
     * One question.
     *
     * @param labels the name's labels, lower-cased
     * @param end where the question ends in the packet (its type and class included)
     */
    record Question(List<String> labels, int type, int qclass, int end) implements DnsQuery {

        /** Whether the name is under the tenants' private zone ({@code .internal}): never asked of anyone else. */
        boolean internal() {
            return !labels.isEmpty() && labels.getLast().equals(PrivateNetwork.ZONE);
        }
    }

    static DnsQuery read(byte[] packet, int length) {
        if (length < HEADER || (packet[2] & 0x80) != 0) {
            return new Ignored();
        }
        int opcode = (packet[2] >> 3) & 0x0f;
        if (opcode != 0) {
            return new Malformed(DnsAnswers.NOTIMP);
        }
        if (u16(packet, 4) != 1) {
            return new Malformed(DnsAnswers.FORMERR);
        }
        List<String> labels = new ArrayList<>();
        int at = HEADER;
        while (true) {
            if (at >= length) {
                return new Malformed(DnsAnswers.FORMERR);
            }
            int len = packet[at] & 0xff;
            if (len == 0) {
                at++;
                break;
            }
            if (len > 63 || at + 1 + len > length) {
                return new Malformed(DnsAnswers.FORMERR);
            }
            labels.add(new String(packet, at + 1, len, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT));
            at += 1 + len;
        }
        if (at + 4 > length) {
            return new Malformed(DnsAnswers.FORMERR);
        }
        return new Question(List.copyOf(labels), u16(packet, at), u16(packet, at + 2), at + 4);
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }
}

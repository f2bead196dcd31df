package dev.nanofleet.node.net;

import dev.nanofleet.nodeapi.PrivateNetwork;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The answers of a tenant bridge's DNS ({@link InternalDns}): pure, one UDP query in, one answer out. Only
 * {@code <deployment>.<tenant>.internal} of the bridge's own tenant is known: an A query gets the healthy replicas'
 * private addresses, any other type of a known name an empty answer (NOERROR: a resolver that asks for A and AAAA
 * together must not take the name for missing), anything else NXDOMAIN. No recursion, no other zone, no compression
 * in queries; answers are authoritative with a short TTL, since replicas come and go.
 */
public final class DnsAnswers {

    /** How long a resolver may keep an answer, in seconds: replicas move, so briefly. */
    static final int TTL = 5;
    static final int TYPE_A = 1;
    static final int TYPE_ANY = 255;
    static final int CLASS_IN = 1;
    static final int NOERROR = 0;
    static final int FORMERR = 1;
    static final int NXDOMAIN = 3;
    static final int NOTIMP = 4;
    private static final int HEADER = 12;
    /** A UDP answer without EDNS fits 512 bytes: at most this many addresses (16 bytes each after the question). */
    static final int MAX_ANSWERS = 28;

    private DnsAnswers() {
    }

    /**
     * The answer to a query, or empty when it deserves none (too short to carry an id, or itself an answer).
     *
     * @param names the tenant's directory: deployment name to addresses
     */
    public static Optional<byte[]> answer(byte[] packet, int length, String tenant, Map<String, List<String>> names) {
        if (length < HEADER || (packet[2] & 0x80) != 0) {
            return Optional.empty();
        }
        int opcode = (packet[2] >> 3) & 0x0f;
        int questions = u16(packet, 4);
        if (opcode != 0) {
            return Optional.of(header(packet, NOTIMP, 0, 0));
        }
        if (questions != 1) {
            return Optional.of(header(packet, FORMERR, 0, 0));
        }
        List<String> labels = new ArrayList<>();
        int at = HEADER;
        while (true) {
            if (at >= length) {
                return Optional.of(header(packet, FORMERR, 0, 0));
            }
            int len = packet[at] & 0xff;
            if (len == 0) {
                at++;
                break;
            }
            if (len > 63 || at + 1 + len > length) {
                return Optional.of(header(packet, FORMERR, 0, 0));
            }
            labels.add(new String(packet, at + 1, len, java.nio.charset.StandardCharsets.US_ASCII).toLowerCase(
                    Locale.ROOT));
            at += 1 + len;
        }
        if (at + 4 > length) {
            return Optional.of(header(packet, FORMERR, 0, 0));
        }
        int type = u16(packet, at);
        int qclass = u16(packet, at + 2);
        int questionEnd = at + 4;
        List<String> addresses = lookup(labels, tenant, names);
        if (addresses == null || qclass != CLASS_IN) {
            return Optional.of(withQuestion(packet, questionEnd, NXDOMAIN, List.of()));
        }
        boolean wantsA = type == TYPE_A || type == TYPE_ANY;
        return Optional.of(withQuestion(packet, questionEnd, NOERROR, wantsA
                ? addresses.subList(0, Math.min(addresses.size(), MAX_ANSWERS))
                : List.of()));
    }

    /** The addresses of {@code <deployment>.<tenant>.internal}; null when the name is not one the tenant has. */
    static List<String> lookup(List<String> labels, String tenant, Map<String, List<String>> names) {
        if (labels.size() != 3 || !labels.get(2).equals(PrivateNetwork.ZONE) || !labels.get(1).equals(tenant
                .toLowerCase(Locale.ROOT))) {
            return null;
        }
        List<String> addresses = names.get(labels.get(0));
        return addresses == null || addresses.isEmpty() ? null : addresses;
    }

    private static byte[] withQuestion(byte[] query, int questionEnd, int rcode, List<String> addresses) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(query, rcode, 1, addresses.size()));
        out.write(query, HEADER, questionEnd - HEADER);
        for (String address : addresses) {
            int a = Ipv4Subnet.address(address);
            // name: a pointer to the question's (offset 12); type A, class IN, TTL, 4 bytes of address
            out.writeBytes(new byte[]{(byte) 0xc0, 0x0c, 0, TYPE_A, 0, CLASS_IN, 0, 0, 0, TTL, 0, 4, (byte) (a >>> 24),
                    (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        }
        return out.toByteArray();
    }

    /** An answer's header: the query's id and RD bit, QR and AA set, the code and the counts. */
    private static byte[] header(byte[] query, int rcode, int questions, int answers) {
        return new byte[]{query[0], query[1], (byte) (0x84 | (query[2] & 0x01)), (byte) rcode, 0, (byte) questions,
                (byte) (answers >> 8), (byte) answers, 0, 0, 0, 0};
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }
}

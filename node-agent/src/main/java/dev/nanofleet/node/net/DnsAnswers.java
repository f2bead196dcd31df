package dev.nanofleet.node.net;

import dev.nanofleet.nodeapi.PrivateNetwork;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The internal answers of a tenant bridge's DNS ({@link InternalDns}): pure, one UDP query in, one answer out. Only
 * {@code <deployment>.<tenant>.internal} of the bridge's own tenant is known: an A query gets the healthy replicas'
 * private addresses, any other type of a known name an empty answer (NOERROR: a resolver that asks for A and AAAA
 * together must not take the name for missing), anything else NXDOMAIN. No recursion here (what is not under
 * {@code .internal} is forwarded or refused before: {@link DnsForwarding}), no compression in queries; answers are authoritative with a short TTL, since replicas come and go.
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
    static final int SERVFAIL = 2;
    static final int REFUSED = 5;
    private static final int HEADER = DnsQuery.HEADER;
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
        return switch (DnsQuery.read(packet, length)) {
            case DnsQuery.Ignored i -> Optional.empty();
            case DnsQuery.Malformed m -> Optional.of(header(packet, m.rcode(), 0, 0));
            case DnsQuery.Question q -> Optional.of(answer(packet, q, tenant, names));
        };
    }

    /** The answer to a question read from {@code packet}. */
    static byte[] answer(byte[] packet, DnsQuery.Question q, String tenant, Map<String, List<String>> names) {
        List<String> addresses = lookup(q.labels(), tenant, names);
        if (addresses == null || q.qclass() != CLASS_IN) {
            return withQuestion(packet, q.end(), NXDOMAIN, List.of());
        }
        boolean wantsA = q.type() == TYPE_A || q.type() == TYPE_ANY;
        return withQuestion(packet, q.end(), NOERROR, wantsA
                ? addresses.subList(0, Math.min(addresses.size(), MAX_ANSWERS))
                : List.of());
    }

    /** An answer with no records and {@code rcode} (REFUSED, SERVFAIL), echoing the question. */
    static byte[] refusal(byte[] packet, DnsQuery.Question q, int rcode) {
        return withQuestion(packet, q.end(), rcode, List.of());
    }

    /** An answer's header alone, with {@code rcode}: for a query whose question cannot be echoed. */
    static byte[] bare(byte[] packet, int rcode) {
        return header(packet, rcode, 0, 0);
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
}

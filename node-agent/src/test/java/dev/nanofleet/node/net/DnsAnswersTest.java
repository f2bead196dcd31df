package dev.nanofleet.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DnsAnswersTest {

    private static final Map<String, List<String>> NAMES = Map.of("web", List.of("10.192.3.2", "10.192.4.2"));

    @Test
    void an_a_query_for_a_deployment_of_the_bridges_tenant_gets_its_healthy_replicas_addresses() {
        byte[] answer = ask("web.globex.internal", DnsAnswers.TYPE_A);

        assertThat(answer[0]).isEqualTo((byte) 0x12);
        assertThat(answer[1]).isEqualTo((byte) 0x34);
        assertThat(answer[2] & 0x80).as("an answer").isNotZero();
        assertThat(answer[2] & 0x04).as("authoritative").isNotZero();
        assertThat(answer[2] & 0x01).as("recursion desired, copied").isNotZero();
        assertThat(rcode(answer)).isEqualTo(DnsAnswers.NOERROR);
        assertThat(answer[7]).as("answers").isEqualTo((byte) 2);
        assertThat(addresses(answer)).containsExactly("10.192.3.2", "10.192.4.2");
    }

    @Test
    void names_are_matched_without_regard_to_case() {
        assertThat(addresses(ask("WEB.Globex.Internal", DnsAnswers.TYPE_A))).containsExactly("10.192.3.2",
                "10.192.4.2");
    }

    @Test
    void another_type_of_a_known_name_is_an_empty_answer_not_a_missing_name() {
        byte[] answer = ask("web.globex.internal", 28);

        assertThat(rcode(answer)).isEqualTo(DnsAnswers.NOERROR);
        assertThat(answer[7]).isZero();
    }

    @Test
    void another_tenants_name_an_unknown_deployment_and_every_other_zone_do_not_exist() {
        assertThat(rcode(ask("web.initech.internal", DnsAnswers.TYPE_A))).isEqualTo(DnsAnswers.NXDOMAIN);
        assertThat(rcode(ask("db.globex.internal", DnsAnswers.TYPE_A))).isEqualTo(DnsAnswers.NXDOMAIN);
        assertThat(rcode(ask("example.com", DnsAnswers.TYPE_A))).isEqualTo(DnsAnswers.NXDOMAIN);
        assertThat(rcode(ask("globex.internal", DnsAnswers.TYPE_A))).isEqualTo(DnsAnswers.NXDOMAIN);
        assertThat(rcode(ask("x.web.globex.internal", DnsAnswers.TYPE_A))).isEqualTo(DnsAnswers.NXDOMAIN);
    }

    @Test
    void a_deployment_without_a_healthy_replica_does_not_exist() {
        byte[] query = query("web.globex.internal", DnsAnswers.TYPE_A);
        byte[] answer = DnsAnswers.answer(query, query.length, "globex", Map.of("web", List.of())).orElseThrow();

        assertThat(rcode(answer)).isEqualTo(DnsAnswers.NXDOMAIN);
    }

    @Test
    void a_packet_that_is_an_answer_or_too_short_gets_nothing() {
        byte[] query = query("web.globex.internal", DnsAnswers.TYPE_A);
        query[2] |= (byte) 0x80;

        assertThat(DnsAnswers.answer(query, query.length, "globex", NAMES)).isEmpty();
        assertThat(DnsAnswers.answer(new byte[5], 5, "globex", NAMES)).isEmpty();
    }

    @Test
    void a_malformed_query_gets_a_format_error_and_another_opcode_not_implemented() {
        byte[] query = query("web.globex.internal", DnsAnswers.TYPE_A);
        assertThat(rcode(DnsAnswers.answer(query, 20, "globex", NAMES).orElseThrow())).isEqualTo(
                DnsAnswers.FORMERR);
        byte[] two = query.clone();
        two[5] = 2;
        assertThat(rcode(DnsAnswers.answer(two, two.length, "globex", NAMES).orElseThrow())).isEqualTo(
                DnsAnswers.FORMERR);
        byte[] pointer = query.clone();
        pointer[12] = (byte) 0xc0;
        assertThat(rcode(DnsAnswers.answer(pointer, pointer.length, "globex", NAMES).orElseThrow())).isEqualTo(
                DnsAnswers.FORMERR);
        byte[] noType = query("web.globex.internal", DnsAnswers.TYPE_A);
        assertThat(rcode(DnsAnswers.answer(noType, noType.length - 3, "globex", NAMES).orElseThrow())).isEqualTo(
                DnsAnswers.FORMERR);
        byte[] update = query.clone();
        update[2] = (byte) (5 << 3);
        assertThat(rcode(DnsAnswers.answer(update, update.length, "globex", NAMES).orElseThrow())).isEqualTo(
                DnsAnswers.NOTIMP);
    }

    @Test
    void an_answer_fits_a_plain_udp_message_however_many_replicas_there_are() {
        List<String> many = java.util.stream.IntStream.range(2, 200).mapToObj(i -> "10.192.3." + i).toList();
        byte[] query = query("web.globex.internal", DnsAnswers.TYPE_A);
        byte[] answer = DnsAnswers.answer(query, query.length, "globex", Map.of("web", many)).orElseThrow();

        assertThat(answer.length).isLessThanOrEqualTo(512);
        assertThat(answer[7] & 0xff).isEqualTo(DnsAnswers.MAX_ANSWERS);
    }

    @Test
    void a_refusal_keeps_the_id_and_echoes_the_question_with_no_records() {
        byte[] query = query("api.example.com", DnsAnswers.TYPE_A);
        DnsQuery.Question q = (DnsQuery.Question) DnsQuery.read(query, query.length);

        byte[] refusal = DnsAnswers.refusal(query, q, DnsAnswers.REFUSED);

        assertThat(refusal).startsWith((byte) 0x12, (byte) 0x34);
        assertThat(rcode(refusal)).isEqualTo(DnsAnswers.REFUSED);
        assertThat(refusal[5]).as("questions").isEqualTo((byte) 1);
        assertThat(refusal[7]).as("answers").isZero();
        assertThat(java.util.Arrays.copyOfRange(refusal, 12, refusal.length)).isEqualTo(java.util.Arrays
                .copyOfRange(query, 12, query.length));
    }

    @Test
    void a_query_is_read_as_its_lower_cased_labels_type_and_class_or_not_at_all() {
        byte[] query = query("API.Example.com", 28);

        assertThat(DnsQuery.read(query, query.length)).isEqualTo(new DnsQuery.Question(List.of("api", "example",
                "com"), 28, DnsAnswers.CLASS_IN, query.length));
        assertThat(DnsQuery.read(query, 11)).isInstanceOf(DnsQuery.Ignored.class);
        assertThat(DnsQuery.read(query, query.length - 2)).isEqualTo(new DnsQuery.Malformed(DnsAnswers.FORMERR));
        byte[] answer = query.clone();
        answer[2] |= (byte) 0x80;
        assertThat(DnsQuery.read(answer, answer.length)).isInstanceOf(DnsQuery.Ignored.class);
    }

    private static byte[] ask(String name, int type) {
        byte[] query = query(name, type);
        Optional<byte[]> answer = DnsAnswers.answer(query, query.length, "globex", NAMES);
        return answer.orElseThrow();
    }

    static byte[] query(String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{0x12, 0x34, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
        out.writeBytes(new byte[]{0, (byte) type, 0, DnsAnswers.CLASS_IN});
        return out.toByteArray();
    }

    static int rcode(byte[] answer) {
        return answer[3] & 0x0f;
    }

    /** The A records' addresses: each answer is 16 bytes, its address the last 4. */
    static List<String> addresses(byte[] answer) {
        int count = answer[7] & 0xff;
        int end = answer.length;
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (int i = count; i > 0; i--) {
            int at = end - 16 * i + 12;
            out.add((answer[at] & 0xff) + "." + (answer[at + 1] & 0xff) + "." + (answer[at + 2] & 0xff) + "."
                    + (answer[at + 3] & 0xff));
        }
        return out;
    }
}

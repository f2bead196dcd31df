package dev.nanofleet.node.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KmsgRecordTest {

    @Test
    void a_record_gives_its_priority_sequence_time_and_text_and_prints_as_dmesg_does() {
        KmsgRecord record = KmsgRecord.parse("6,339,5140900,-;NET: Registered PF_INET6 protocol family")
                .orElseThrow();

        assertThat(record).isEqualTo(new KmsgRecord(6, 339, 5_140_900, "NET: Registered PF_INET6 protocol family"));
        assertThat(record.formatted()).isEqualTo("[    5.140900] NET: Registered PF_INET6 protocol family\n");
    }

    @Test
    void extra_prefix_fields_and_semicolons_in_the_text_are_kept_apart() {
        KmsgRecord record = KmsgRecord.parse("12,7,123456789012,c,caller=T1;a;b\n").orElseThrow();

        assertThat(record.seq()).isEqualTo(7);
        assertThat(record.text()).isEqualTo("a;b");
        assertThat(record.formatted()).isEqualTo("[123456.789012] a;b\n");
    }

    @Test
    void continuation_lines_and_lines_not_shaped_like_a_record_are_skipped() {
        for (String line : new String[]{" SUBSYSTEM=pci", " DEVICE=+pci:0000:00:01.0", "", "no semicolon",
                "6,1;too few fields", "x,1,2,-;not a number", "-1,1,2,-;negative", null}) {
            assertThat(KmsgRecord.parse(line)).as(String.valueOf(line)).isEmpty();
        }
    }

    @Test
    void what_a_reader_got_parses_into_records_in_order_and_the_last_ones_are_taken() {
        String raw = "6,1,100,-;first\n SUBSYSTEM=pci\n4,2,2000000,-;second\n3,3,3000001,-;third\n";

        List<KmsgRecord> records = KmsgRecord.parseAll(raw);

        assertThat(records).extracting(KmsgRecord::text).containsExactly("first", "second", "third");
        assertThat(KmsgRecord.last(records, 2)).extracting(KmsgRecord::seq).containsExactly(2L, 3L);
        assertThat(KmsgRecord.last(records, 10)).hasSize(3);
    }
}

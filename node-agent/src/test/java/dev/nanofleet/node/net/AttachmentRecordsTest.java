package dev.nanofleet.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.node.net.NodeNetwork.Attachment;
import dev.nanofleet.nodeapi.EgressPolicy;
import dev.nanofleet.nodeapi.InstanceNetwork.PortBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a restarted agent reads back of each instance's network, its egress policy included. */
class AttachmentRecordsTest {

    @TempDir
    Path stateDir;

    @Test
    void a_record_keeps_the_egress_policy_the_instance_was_started_with() {
        AttachmentRecords records = new AttachmentRecords(stateDir);
        UUID id = UUID.randomUUID();
        EgressPolicy policy = EgressPolicy.allowList(List.of(new EgressPolicy.Destination("203.0.113.0/24", List.of(
                443))));
        Attachment written = new Attachment(id, "acme", "nfb-0123456789a", "10.213.0.2", 24, "10.213.0.1",
                "nfv-0123456789a", "nf-x-" + id, null, List.of(new PortBinding(8080, 40001)), policy);

        records.write(written);

        assertThat(new AttachmentRecords(stateDir).readAll()).containsEntry(id, written);
    }

    @Test
    void a_record_written_before_egress_existed_lets_nothing_out_as_that_agent_did() throws Exception {
        UUID id = UUID.randomUUID();
        new AttachmentRecords(stateDir); // makes its directory
        Files.writeString(stateDir.resolve("network/instances").resolve(id + ".json"), """
                {"tenant":"acme","bridge":"nfb-0123456789a","address":"10.213.0.2","prefix":24,
                 "gateway":"10.213.0.1","device":"nfm-0123456789a","mac":"02:00:00:00:00:01","ports":[]}""");

        Attachment read = new AttachmentRecords(stateDir).readAll().get(id);

        assertThat(read.egress()).isEqualTo(EgressPolicy.DENY_ALL);
        assertThat(read.address()).isEqualTo("10.213.0.2");
    }
}

package dev.nanofleet.node.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanofleet.events.Isolation;
import dev.nanofleet.events.Resources;
import dev.nanofleet.nodeapi.Assignment;
import dev.nanofleet.nodeapi.DesiredState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestInitTest {

    private static final UUID ID = UUID.fromString("12345678-0000-0000-0000-000000000000");

    private static Assignment assignment(List<String> command, Map<String, String> env) {
        return new Assignment(ID, UUID.randomUUID(), "acme", "img", Isolation.HARDWARE, new Resources(1500, 100),
                command, env, DesiredState.RUNNING);
    }

    private static JsonNode process() throws IOException {
        return new ObjectMapper().readTree("""
                {"args":["/bin/busybox","httpd","-f"],"env":["PATH=/bin","A=image"],"cwd":"/www",
                 "user":{"uid":1000,"gid":1001,"additionalGids":[50,63]},
                 "capabilities":{"bounding":["CAP_KILL","CAP_NET_RAW"],"inheritable":["CAP_KILL"],"ambient":[]}}""");
    }

    @Test
    void the_images_process_runs_in_its_working_dir_as_its_user_and_groups_with_the_requests_env_merged_over()
            throws IOException {
        String spec = GuestInit.spec(process(), assignment(List.of(), Map.of("A", "it's mine")), "ld.so");

        assertThat(spec).contains("CWD='/www'").contains("HOST='i-12345678'").contains(
                "run_cmd() { exec /bin/busybox env -i 'PATH=/bin' 'A=it'\\''s mine' "
                        + "/nf/ld.so --library-path /nf /nf/unshare --root=/mnt --wd='/www' "
                        + "/dev/.nanofleet/ld.so --library-path /dev/.nanofleet /dev/.nanofleet/setpriv "
                        + "--reuid=1000 --regid=1001 --groups=50,63 --bounding-set=-all,+kill --inh-caps=-all,+kill "
                        + "--ambient-caps=-all --nnp -- '/bin/busybox' 'httpd' '-f'; }");
    }

    @Test
    void an_exec_session_runs_like_the_images_process_with_the_sessions_args() throws IOException {
        String spec = GuestInit.spec(process(), assignment(List.of(), Map.of("A", "b")), "ld.so");

        assertThat(spec).contains("exec_cmd() { exec /bin/busybox env -i 'PATH=/bin' 'A=b' "
                + "/nf/ld.so --library-path /nf /nf/unshare --root=/mnt --wd='/www' "
                + "/dev/.nanofleet/ld.so --library-path /dev/.nanofleet /dev/.nanofleet/setpriv "
                + "--reuid=1000 --regid=1001 --groups=50,63 --bounding-set=-all,+kill --inh-caps=-all,+kill "
                + "--ambient-caps=-all --nnp -- \"$@\"; }");
    }

    @Test
    void an_image_without_supplementary_groups_runs_with_none() throws IOException {
        String spec = GuestInit.spec(new ObjectMapper().readTree("{\"args\":[\"x\"]}"),
                assignment(List.of(), Map.of()), "ld.so");

        assertThat(spec).contains("--reuid=0 --regid=0 --clear-groups --nnp -- 'x'").contains("--wd='/'");
    }

    @Test
    void the_init_sets_free_page_reporting_to_128_kib_blocks_once_sysfs_is_mounted() {
        String init = GuestInit.INIT;
        String order = "R=/sys/module/page_reporting/parameters/page_reporting_order\n[ -w $R ] && echo 5 >$R\n";

        assertThat(init).contains(order);
        assertThat(init.indexOf(order)).isGreaterThan(init.indexOf("mount -t sysfs sys /sys"));
    }

    @Test
    void a_networked_guest_gets_its_address_and_gateway_and_the_init_configures_eth0() throws IOException {
        String spec = GuestInit.spec(process(), assignment(List.of(), Map.of()), "ld.so", "10.88.3.2/24",
                "10.88.3.1");

        assertThat(spec).contains("NET_ADDR='10.88.3.2/24'\nNET_GW='10.88.3.1'\n");
        assertThat(GuestInit.spec(process(), assignment(List.of(), Map.of()), "ld.so")).doesNotContain("NET_ADDR");
        assertThat(GuestInit.INIT).contains("ip addr add \"$NET_ADDR\" dev eth0").contains(
                "ip route add default via \"$NET_GW\"");
        assertThat(GuestKernel.MODULES).containsSubsequence("virtio_ring", "virtio", "failover", "net_failover",
                "virtio_net");
    }

    @Test
    void the_requests_command_replaces_the_images_and_a_missing_command_is_refused() throws IOException {
        assertThat(GuestInit.spec(process(), assignment(List.of("sh", "-c", "exit 7"), Map.of()), "ld.so"))
                .contains("--nnp -- 'sh' '-c' 'exit 7'; }");
        assertThatThrownBy(() -> GuestInit.spec(new ObjectMapper().readTree("{}"), assignment(List.of(), Map.of()),
                "ld.so"))
                .hasMessageContaining("no entrypoint or cmd");
    }

    @Test
    void the_initramfs_is_a_newc_archive_with_init_busybox_and_the_modules(@TempDir Path dir) throws IOException {
        Path busybox = Files.writeString(dir.resolve("busybox"), "elf");
        Path modules = Files.createDirectories(dir.resolve("modules"));
        List<Path> kos = GuestKernel.MODULES.stream().map(m -> modules.resolve(m + ".ko")).toList();
        for (Path ko : kos) {
            Files.writeString(ko, "ko");
        }
        GuestKernel kernel = new GuestKernel(dir.resolve("vmlinuz"), kos, "6.1.0-test-amd64");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        Path loader = Files.writeString(dir.resolve("ld-linux-x86-64.so.2"), "ld");
        GuestInit.write(out, kernel, busybox, new GuestTools(List.of(busybox, loader), loader.getFileName().toString()),
                "CWD='/'\n");

        byte[] bytes = out.toByteArray();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(bytes.length % 512).isZero();
        assertThat(text).startsWith("070701").contains("bin/busybox\0").contains("nf/ld-linux-x86-64.so.2\0")
                .contains("lib/modules/9p.ko\0")
                .contains("init\0").contains("spec\0").contains("modules.order\0").contains("TRAILER!!!\0")
                .contains(String.join(" ", GuestKernel.MODULES));
        // every header is 110 bytes of magic and hex fields, names and data padded to 4 bytes
        int at = 0;
        int entries = 0;
        while (true) {
            assertThat(text.substring(at, at + 6)).isEqualTo("070701");
            int size = Integer.parseInt(text.substring(at + 54, at + 62), 16);
            int nameSize = Integer.parseInt(text.substring(at + 94, at + 102), 16);
            String name = text.substring(at + 110, at + 110 + nameSize - 1);
            entries++;
            if (name.equals("TRAILER!!!")) {
                break;
            }
            at = align(align(at + 110 + nameSize) + size);
        }
        assertThat(entries).isGreaterThan(GuestKernel.MODULES.size() + 5);
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }
}

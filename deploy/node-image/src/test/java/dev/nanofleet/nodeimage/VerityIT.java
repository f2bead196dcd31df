package dev.nanofleet.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The root slot's dm-verity hash tree accepts the image as built and refuses it after one byte changed. */
class VerityIT {

    private static NodeImage image;

    @BeforeAll
    static void build_the_image() {
        image = NodeImage.get();
    }

    @Test
    void the_root_as_built_verifies_against_the_root_hash_on_the_kernel_command_line() throws Exception {
        assertThat(verify(image.file("root.img")).exit).as("veritysetup verify of the image as built").isZero();
    }

    @Test
    void one_flipped_byte_in_the_squashfs_is_refused(@TempDir Path tmp) throws Exception {
        Path copy = tmp.resolve("root.img");
        Files.copy(image.file("root.img"), copy);
        long offset = image.dataBlocks() * 4096 / 2; // in the middle of the squashfs, far from its superblock
        try (RandomAccessFile file = new RandomAccessFile(copy.toFile(), "rw")) {
            file.seek(offset);
            int b = file.read();
            file.seek(offset);
            file.write(b ^ 0x01);
        }
        Result result = verify(copy);
        assertThat(result.exit).as("veritysetup verify after one flipped bit at %d: %s", offset, result.out)
                .isNotZero();
        assertThat(result.out).containsIgnoringCase("verification failed");
    }

    private static Result verify(Path root) throws IOException, InterruptedException {
        long blocks = image.dataBlocks();
        List<String> command = List.of("veritysetup", "verify", "--data-blocks=" + blocks,
                "--hash-offset=" + blocks * 4096, root.toString(), root.toString(), image.rootHash());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not end in 120 s");
        }
        return new Result(process.exitValue(), out);
    }

    private record Result(int exit, String out) {
    }
}

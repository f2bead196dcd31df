package dev.nanofleet.node.vm;

import dev.nanofleet.node.host.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host's util-linux {@code unshare} and {@code setpriv} with the shared libraries and the dynamic loader they need,
 * copied into every initramfs: the guest init enters the rootfs and working directory with {@code unshare --root --wd}
 * and drops to the image's user and groups with {@code setpriv --reuid --regid --groups}, as runc does. busybox cannot:
 * its {@code chroot} always changes to {@code /} and its {@code setpriv} has no uid or gid options. Both run through the
 * loader explicitly ({@code ld.so --library-path DIR PROG}), so they need nothing from the image's own libraries.
 *
 * @param files the programs, the libraries and the loader
 * @param loader the file name of the dynamic loader among {@code files}
 */
public record GuestTools(List<Path> files, String loader) {

    public static final List<Path> PROGRAMS = List.of(Path.of("/usr/bin/unshare"), Path.of("/usr/bin/setpriv"));
    private static final Pattern LIBRARY = Pattern.compile("=>\\s*(/\\S+)");
    private static final Pattern LOADER = Pattern.compile("^\\s*(/\\S*ld-linux\\S*)");
    private static volatile GuestTools host;

    public GuestTools {
        files = List.copyOf(files);
    }

    /**
     * The host's tools, found once with {@code ldd}.
     *
     * @throws IllegalStateException when util-linux or its libraries are missing
     */
    public static GuestTools ofHost() {
        GuestTools found = host;
        if (found == null) {
            found = find(PROGRAMS);
            host = found;
        }
        return found;
    }

    static GuestTools find(List<Path> programs) {
        Set<Path> files = new LinkedHashSet<>();
        String loader = null;
        for (Path program : programs) {
            if (!Files.isExecutable(program)) {
                throw new IllegalStateException(program + " is missing (apt-get install util-linux)");
            }
            files.add(program);
            Exec.Result ldd = Exec.run(List.of("ldd", program.toString()), Duration.ofSeconds(10));
            if (!ldd.ok()) {
                throw new IllegalStateException("ldd " + program + " failed: " + ldd.message());
            }
            for (String line : ldd.stdout().lines().toList()) {
                Matcher lib = LIBRARY.matcher(line);
                Matcher ld = LOADER.matcher(line);
                if (lib.find()) {
                    files.add(Path.of(lib.group(1)));
                } else if (ld.find()) {
                    Path path = Path.of(ld.group(1));
                    files.add(path);
                    loader = path.getFileName().toString();
                }
            }
        }
        if (loader == null) {
            throw new IllegalStateException("no dynamic loader in the ldd output of " + programs);
        }
        return new GuestTools(new ArrayList<>(files), loader);
    }
}

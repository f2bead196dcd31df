package dev.nanofleet.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar launcher.jar --root REPO --home REPO/.fleet up [--nodes N]|down [--purge]|status}. The {@code ./fleet} script
 * finds the JDK, installs host packages and builds before calling this.
 */
public final class Fleet {

    private Fleet() {
    }

    public static void main(String[] args) {
        Path root = Path.of(".").toAbsolutePath().normalize();
        Path home = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--home" -> home = Path.of(args[++i]).toAbsolutePath().normalize();
                default -> rest.add(args[i]);
            }
        }
        Layout layout = new Layout(root, home != null ? home : root.resolve(".fleet"));
        // test-support's server starters find tools and the realm through this property
        System.setProperty("nanofleet.fleet.home", layout.home().toString());
        FleetArgs parsed;
        try {
            parsed = FleetArgs.parse(rest);
        } catch (IllegalArgumentException e) {
            System.err.println("[fleet] error: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            int recorded = FleetArgs.recorded(layout);
            int nodes = parsed.nodeCount(layout);
            Platform platform = LocalPlatform.create(layout, FleetPorts.defaults(), System.out, nodes);
            switch (parsed.command()) {
                case "up" -> {
                    if (nodes != recorded && LocalPlatform.create(layout, FleetPorts.defaults(), System.out, recorded)
                            .anyRunning()) {
                        throw new LaunchException("the platform runs with " + recorded + " node(s): ./fleet down"
                                + " first, then ./fleet up --nodes " + nodes, null);
                    }
                    FleetArgs.record(layout, nodes);
                    platform.up();
                    NextSteps.print(platform.environment(), System.out);
                }
                case "down" -> platform.down(parsed.purge());
                default -> System.exit(platform.status() ? 0 : 3);
            }
        } catch (LaunchException e) {
            System.err.println("[fleet] error: " + e.getMessage());
            System.err.println("[fleet] what started stays up; ./fleet down stops it, ./fleet up tries again.");
            System.exit(1);
        }
    }
}

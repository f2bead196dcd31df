package dev.nanofleet.testsupport;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a persistent embedded PostgreSQL in the foreground until SIGTERM (or SIGINT), so the
 * launcher can run it as its own process:
 *
 * <pre>
 * java -cp test-support.jar:... dev.nanofleet.testsupport.PostgresMain --port 5432 --data .fleet/data/postgres [--database name]...
 * </pre>
 *
 * Prints {@code READY jdbc:postgresql://127.0.0.1:PORT/} on stdout when it accepts connections.
 * Stop it with SIGTERM (not SIGKILL: postgres is started by pg_ctl and outlives a killed JVM).
 */
public final class PostgresMain {

    private PostgresMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Integer port = null;
        Path data = null;
        java.util.List<String> databases = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]).toAbsolutePath();
                case "--database" -> databases.add(args[++i]);
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (port == null || data == null) {
            usage("--port and --data are required");
        }
        PostgresServer server = PostgresServer.startPersistent(data, port);
        for (String db : databases) {
            server.createDatabase(db);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping PostgreSQL on port " + server.port());
            server.close();
            stopped.countDown();
        }, "stop-postgres"));
        System.out.println("READY jdbc:postgresql://127.0.0.1:" + server.port() + "/");
        System.out.flush();
        stopped.await();
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: PostgresMain --port PORT --data DIR [--database NAME]...");
        System.exit(2);
    }
}

package dev.nanofleet.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time and memory of a process and everything it started, read from {@code /proc} (Linux): the platform's
 * services are processes the launcher started, their PIDs in its pid files. CPU time counts each live process's own and
 * its reaped children's ({@code utime stime cutime cstime}), so PostgreSQL's backends that ended still count through
 * the postmaster. Clock ticks are taken as 100 per second (Linux's USER_HZ on every architecture it runs on here).
 */
final class ProcessUsage {

    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessUsage() {
    }

    /** A moment's reading of one process tree. */
    record Sample(long pid, double cpuSeconds, long rssKiB, long hwmKiB) {
        double rssMiB() {
            return rssKiB / 1024.0;
        }

        double hwmMiB() {
            return hwmKiB / 1024.0;
        }
    }

    /** The process whose PID the file's first line holds, with its descendants. */
    static Sample of(Path pidFile) {
        try {
            return of(Long.parseLong(Files.readAllLines(pidFile).getFirst().strip()));
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the PID in " + pidFile + ": " + e.getMessage(), e);
        }
    }

    static Sample of(long pid) {
        long ticks = 0;
        long rss = 0;
        long hwm = 0;
        for (long p : tree(pid)) {
            ticks += cpuTicks(p);
            Map<String, Long> status = status(p);
            rss += status.getOrDefault("VmRSS", 0L);
            hwm += status.getOrDefault("VmHWM", 0L);
        }
        return new Sample(pid, ticks / TICKS_PER_SECOND, rss, hwm);
    }

    /** The process and its descendants, alive now. */
    static List<Long> tree(long root) {
        Map<Long, List<Long>> children = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                long pid = Long.parseLong(p.getFileName().toString());
                String[] fields = statFields(pid);
                if (fields != null) {
                    children.computeIfAbsent(Long.parseLong(fields[1]), k -> new ArrayList<>()).add(pid);
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        List<Long> out = new ArrayList<>();
        Deque<Long> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            long pid = todo.pop();
            out.add(pid);
            todo.addAll(children.getOrDefault(pid, List.of()));
        }
        return out;
    }

    private static long cpuTicks(long pid) {
        String[] f = statFields(pid);
        if (f == null) {
            return 0;
        }
        // after "pid (comm)": state=0 ppid=1 ... utime=11 stime=12 cutime=13 cstime=14
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /** The fields of {@code /proc/PID/stat} after the command name (which may hold spaces), or null once gone. */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, Long> status(long pid) {
        Map<String, Long> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
                    out.put(line.substring(0, 5), Long.parseLong(line.substring(6).replace("kB", "").strip()));
                }
            }
        } catch (IOException e) {
            // gone meanwhile
        }
        return out;
    }
}

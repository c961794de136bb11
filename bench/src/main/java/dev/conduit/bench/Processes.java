package dev.conduit.bench;

import dev.conduit.localstack.Platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * CPU time and memory of the platform's seven processes and of the benchmark itself, read from
 * {@code /proc} (Linux): CPU as utime + stime of {@code /proc/<pid>/stat} in clock ticks, memory as
 * VmRSS (now) and VmHWM (peak since start) of {@code /proc/<pid>/status}.
 */
final class Processes {

    static final List<String> SERVICES = List.of("gateway", "user-service", "post-service", "comment-service");
    static final List<String> SERVERS = List.of("kafka", "mongo");
    /**
     * trending-service (issue 15), a Kafka Streams application: measured on its own, never in the sums
     * of {@link #SERVICES}, whose RSS is issue 12's target (the four services it names).
     */
    static final String TRENDING = "trending-service";
    static final List<String> STREAMS = List.of(TRENDING);
    /** The load generator and seeder: shown so a reader can see it was not the bottleneck. */
    static final String BENCH = "bench";

    /** One process at one moment. */
    record Sample(long pid, long cpuTicks, long rssKib, long peakRssKib) {
    }

    /** Every process at one moment, by name; a process that is not running is absent. */
    record Snapshot(Map<String, Sample> samples) {

        Optional<Sample> of(String name) {
            return Optional.ofNullable(samples.get(name));
        }

        /** Summed RSS of the named processes in MiB; empty if one of them is missing. */
        OptionalDouble rssMib(List<String> names) {
            return sum(names, Sample::rssKib);
        }

        /** Summed peak RSS of the named processes in MiB; empty if one of them is missing. */
        OptionalDouble peakRssMib(List<String> names) {
            return sum(names, Sample::peakRssKib);
        }

        private OptionalDouble sum(List<String> names, ToLongFunction<Sample> field) {
            long kib = 0;
            for (String name : names) {
                Sample s = samples.get(name);
                if (s == null) {
                    return OptionalDouble.empty();
                }
                kib += field.applyAsLong(s);
            }
            return OptionalDouble.of(kib / 1024.0);
        }
    }

    private final Platform platform;
    private final long clockTicksPerSecond;

    Processes(Platform platform) {
        this.platform = platform;
        this.clockTicksPerSecond = clockTicksPerSecond();
    }

    static List<String> all() {
        return Stream.of(SERVICES, SERVERS, STREAMS, List.of(BENCH)).flatMap(List::stream).toList();
    }

    Snapshot snapshot() {
        Map<String, Sample> samples = new LinkedHashMap<>();
        for (String name : all()) {
            Optional<Long> pid = name.equals(BENCH) ? Optional.of(ProcessHandle.current().pid())
                    : platform.process(name).map(ProcessHandle::pid);
            pid.flatMap(Processes::sample).ifPresent(s -> samples.put(name, s));
        }
        return new Snapshot(samples);
    }

    /**
     * CPU milliseconds of one process between two snapshots, per request; empty when the process
     * is missing from either or was restarted in between (another pid).
     */
    OptionalDouble cpuMsPerRequest(Snapshot before, Snapshot after, String name, long requests) {
        Optional<Sample> b = before.of(name);
        Optional<Sample> a = after.of(name);
        if (b.isEmpty() || a.isEmpty() || b.get().pid() != a.get().pid() || requests <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(cpuMs(a.get().cpuTicks() - b.get().cpuTicks(), clockTicksPerSecond) / requests);
    }

    /** CPU milliseconds the named processes used together between two snapshots. */
    double cpuMs(Snapshot before, Snapshot after, List<String> names) {
        long ticks = 0;
        for (String name : names) {
            Optional<Sample> b = before.of(name);
            Optional<Sample> a = after.of(name);
            if (b.isPresent() && a.isPresent() && b.get().pid() == a.get().pid()) {
                ticks += a.get().cpuTicks() - b.get().cpuTicks();
            }
        }
        return cpuMs(ticks, clockTicksPerSecond);
    }

    static double cpuMs(long ticks, long clockTicksPerSecond) {
        return ticks * 1000.0 / clockTicksPerSecond;
    }

    static Optional<Sample> sample(long pid) {
        Path dir = Path.of("/proc", String.valueOf(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
            String status = Files.readString(dir.resolve("status"), StandardCharsets.UTF_8);
            return Optional.of(new Sample(pid, cpuTicks(stat), kib(status, "VmRSS"), kib(status, "VmHWM")));
        } catch (IOException e) {
            // exited between finding its pid and reading it, or not Linux
            return Optional.empty();
        }
    }

    /**
     * utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line. The command name (field 2)
     * is in parentheses and may itself hold spaces and parentheses, so fields are counted from the
     * last ')'.
     */
    static long cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state), so field n is fields[n - 3]
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }

    /** A {@code kB} line of {@code /proc/<pid>/status}, e.g. {@code VmRSS:	  123456 kB}; 0 when absent. */
    static long kib(String status, String key) {
        return status.lines()
                .filter(l -> l.startsWith(key + ":"))
                .map(l -> l.substring(key.length() + 1).trim().split("\\s+")[0])
                .mapToLong(Long::parseLong)
                .findFirst().orElse(0);
    }

    /** {@code getconf CLK_TCK}; 100 (what Linux uses almost everywhere) if it cannot be asked. */
    static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Long.parseLong(text);
            }
        } catch (IOException | NumberFormatException e) {
            // fall back below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}

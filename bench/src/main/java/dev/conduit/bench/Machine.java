package dev.conduit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** What the figures were measured on, from the JVM and {@code /proc}. */
record Machine(int cpus, String cpuModel, String memory, String java, String os) {

    static Machine describe() {
        String model = read("/proc/cpuinfo").flatMap(text -> text.lines()
                        .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst())
                .orElse("unknown CPU");
        String memory = read("/proc/meminfo")
                .map(text -> Processes.kib(text, "MemTotal"))
                .filter(kib -> kib > 0)
                .map(kib -> String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0))
                .orElse("unknown");
        String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")";
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
        return new Machine(Runtime.getRuntime().availableProcessors(), model, memory, java, os);
    }

    /** The 1, 5 and 15 minute load averages: whether the machine was idle. */
    static String loadAverage() {
        return read("/proc/loadavg").map(text -> {
            String[] f = text.trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        }).orElse("unknown");
    }

    private static Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(Path.of(file)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

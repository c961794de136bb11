package dev.conduit.localstack;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/** {@code ./conduit status}: every part with its pid, uptime and restarts, from the launcher's status file. */
final class Status {

    private Status() {
    }

    static List<String> read(Path file, long launcherPid) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            return List.of("(no status yet: the platform is starting)");
        }
        if (!String.valueOf(launcherPid).equals(p.getProperty("launcher.pid"))) {
            return List.of("(the status file is from another launcher)");
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-16s %8s  %-10s %9s  %s", "part", "pid", "state", "uptime", "restarts"));
        long now = System.currentTimeMillis();
        for (String name : p.getProperty("parts", "").split(",")) {
            if (name.isBlank()) {
                continue;
            }
            long pid = Long.parseLong(p.getProperty(name + ".pid", "0"));
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            String state = alive ? p.getProperty(name + ".state", "?") : p.getProperty(name + ".state", "exited").equals("stopped") ? "stopped" : "restarting";
            String uptime = alive ? human(Duration.ofMillis(now - Long.parseLong(p.getProperty(name + ".started", String.valueOf(now))))) : "-";
            String lastExit = p.getProperty(name + ".last-exit");
            lines.add(String.format(Locale.ROOT, "%-16s %8s  %-10s %9s  %s%s", name, alive ? String.valueOf(pid) : "-", state, uptime,
                    p.getProperty(name + ".restarts", "0"), lastExit == null ? "" : " (last exit code " + lastExit + ")"));
        }
        return lines;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }
}

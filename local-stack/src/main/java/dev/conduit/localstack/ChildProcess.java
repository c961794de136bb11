package dev.conduit.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One child process of the local stack (a server or a service): its output goes to a log file,
 * readiness is polled (a marker line in the log, or an HTTP URL answering 200), and stopping it is
 * SIGTERM first, SIGKILL only when it does not exit in time.
 */
public final class ChildProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final long logOffset;
    private final long startedAt = System.nanoTime();
    private long scanned;
    private String scanTail = "";

    private ChildProcess(String name, Process process, Path log, long logOffset) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logOffset = logOffset;
        this.scanned = logOffset;
    }

    /** Starts {@code command}, appending its output to {@code log}. */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path log) {
        return start(name, command, env, log, null);
    }

    /** Starts {@code command} in {@code workDir} (null: this process's), appending its output to {@code log}. */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path log, Path workDir) {
        try {
            Files.createDirectories(log.getParent());
            long offset = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder builder = new ProcessBuilder(ownSession(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            // Every child is a JVM with a few dozen threads; glibc's default of up to 8 malloc arenas
            // a core keeps tens of MiB of freed native memory per JVM. An explicit setting wins.
            builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
            builder.environment().putAll(env);
            return new ChildProcess(name, builder.start(), log, offset);
        } catch (IOException e) {
            throw new LaunchException(name + " could not be started: " + e.getMessage(), e);
        }
    }

    /**
     * The command in a session of its own where {@code setsid} exists: Ctrl-C in the launcher's
     * terminal then reaches the launcher alone, which stops the children in order (services first,
     * servers last) instead of all of them getting SIGINT at once and racing the supervisor. The
     * pid stays the child's ({@code setsid} execs when it is not a group leader, and a freshly
     * spawned child never is); a child still ends when the launcher dies (ParentWatch).
     */
    static List<String> ownSession(List<String> command) {
        Path setsid = Path.of("/usr/bin/setsid");
        if (!Files.isExecutable(setsid)) {
            return command;
        }
        List<String> wrapped = new java.util.ArrayList<>(command.size() + 1);
        wrapped.add(setsid.toString());
        wrapped.addAll(command);
        return wrapped;
    }

    /** Java of this JVM, so children run on the same JDK that passed the version check. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once it has exited. */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** Runs {@code action} once the process has exited, whoever ended it. */
    public void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }

    public double secondsSinceStart() {
        return (System.nanoTime() - startedAt) / 1e9;
    }

    /**
     * One readiness poll: true when ready, false when not yet; throws when the process died, so a
     * caller polling several children at once learns of a failure at the next poll.
     */
    public boolean pollLogMarker(String marker) {
        if (scanForMarker(marker)) {
            return true;
        }
        failIfDead();
        return false;
    }

    /** Reads only what the log gained since the last poll (plus a marker's length of overlap). */
    private boolean scanForMarker(String marker) {
        try (InputStream in = Files.newInputStream(log)) {
            long from = Math.min(scanned, Files.size(log));
            in.skipNBytes(from);
            byte[] added = in.readAllBytes();
            scanned = from + added.length;
            String text = scanTail + new String(added, StandardCharsets.UTF_8);
            scanTail = text.substring(Math.max(0, text.length() - marker.length()));
            return text.contains(marker);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One readiness poll of an HTTP endpoint that answers 200 once ready. */
    public boolean pollHttp(URI url) {
        failIfDead();
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while waiting for " + name);
        }
    }

    /** Polls until ready or {@code timeout}; the failure names the child, the reason and its log. */
    public void awaitReady(Ready ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.poll(this)) {
            if (System.nanoTime() > deadline) {
                throw new LaunchException(name + " was not ready after " + timeout.toSeconds() + " s (log: " + log + ")");
            }
            sleep(100);
        }
    }

    /** A readiness poll: marker line or HTTP endpoint. */
    @FunctionalInterface
    public interface Ready {
        boolean poll(ChildProcess child);

        static Ready logMarker(String marker) {
            return child -> child.pollLogMarker(marker);
        }

        static Ready http(URI url) {
            return child -> child.pollHttp(url);
        }
    }

    private void failIfDead() {
        if (!process.isAlive()) {
            throw new LaunchException(name + " exited with code " + process.exitValue() + " before it was ready: "
                    + reason().orElse("no output") + " (log: " + log + ")");
        }
    }

    /** The most telling line this run wrote: a FATAL or ERROR line, else the last line. */
    public Optional<String> reason() {
        List<String> lines = newOutput().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.stream().filter(l -> l.startsWith("FATAL")).findFirst()
                .or(() -> lines.stream().filter(l -> l.contains("ERROR") || l.contains("Exception:")).findFirst())
                .or(() -> lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1)))
                .map(l -> l.length() > 400 ? l.substring(0, 400) + "..." : l);
    }

    private String newOutput() {
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(Math.min(logOffset, Files.size(log)));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}; also ends anything the child started. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted");
        }
    }
}

package dev.conduit.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps the platform's child processes running: a child that exits when nobody asked it to is
 * started again after a back-off that doubles from {@link #FIRST_DELAY} to {@link #MAX_DELAY} with
 * the exits of the last {@link #WINDOW}; each restart is one line, a crash loop is reported once,
 * and the other parts keep serving meanwhile. What runs (pid, uptime, restarts) is written to a
 * status file that {@code ./conduit status} reads.
 */
final class Supervisor {

    static final Duration FIRST_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final Duration WINDOW = Duration.ofSeconds(60);
    /** Exits within {@link #WINDOW} that make a crash loop. */
    static final int CRASH_LOOP = 5;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /**
     * What the supervisor needs to know of one part: how to start it, how to tell it is ready, and
     * (services) how to tell it is still alive: a part that keeps failing its liveness check is
     * stopped and so restarted, as Kubernetes does with a failing liveness probe.
     */
    record Spec(String name, Supplier<ChildProcess> start, ChildProcess.Ready ready, Optional<ChildProcess.Ready> live) {
        Spec(String name, Supplier<ChildProcess> start, ChildProcess.Ready ready) {
            this(name, start, ready, Optional.empty());
        }
    }

    static final Duration LIVENESS_PERIOD = Duration.ofSeconds(5);
    /** Failed liveness checks in a row that get a part restarted. */
    static final int LIVENESS_FAILURES = 3;

    private final PrintStream out;
    private final Path statusFile;
    private final Map<String, Part> parts = new LinkedHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "conduit-supervisor");
        t.setDaemon(true);
        return t;
    });
    /** Liveness polls wait on HTTP: on a thread of their own, so they never delay a restart. */
    private final ScheduledExecutorService livenessChecks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "conduit-liveness");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean supervising;
    private volatile boolean stopping;

    private final Duration livenessPeriod;

    Supervisor(PrintStream out, Path statusFile) {
        this(out, statusFile, LIVENESS_PERIOD);
    }

    Supervisor(PrintStream out, Path statusFile, Duration livenessPeriod) {
        this.out = out;
        this.statusFile = statusFile;
        this.livenessPeriod = livenessPeriod;
    }

    /** Starts a part for the first time; it is restarted on exit once {@link #superviseAll} was called. */
    synchronized ChildProcess launch(Spec spec) {
        Part part = new Part(spec);
        parts.put(spec.name(), part);
        part.run(spec.start().get());
        writeStatus();
        return part.child;
    }

    /** From now on an exit is a crash: the platform is up. */
    void superviseAll() {
        supervising = true;
        livenessChecks.scheduleWithFixedDelay(this::checkLiveness, livenessPeriod.toMillis(), livenessPeriod.toMillis(),
                TimeUnit.MILLISECONDS);
        synchronized (this) {
            parts.values().stream().filter(p -> !p.held && !p.child.isAlive()).forEach(p -> onExit(p, p.child));
        }
    }

    /** The part passed its readiness check. */
    synchronized void ready(String name) {
        Part part = parts.get(name);
        if (part != null) {
            part.state = "running";
            writeStatus();
        }
    }

    /** The part's current process, if it runs. */
    synchronized Optional<ChildProcess> child(String name) {
        return Optional.ofNullable(parts.get(name)).map(p -> p.child).filter(ChildProcess::isAlive);
    }

    /** The part's state: starting, running (passed its readiness check), restarting or stopped. */
    synchronized Optional<String> state(String name) {
        return Optional.ofNullable(parts.get(name)).map(p -> p.held ? "stopped" : p.state);
    }

    /** How often the part was restarted after a crash. */
    synchronized int restarts(String name) {
        Part part = parts.get(name);
        return part == null ? 0 : part.restarts;
    }

    /** Every part's current process, in start order. */
    synchronized List<ChildProcess> children() {
        return parts.values().stream().map(p -> p.child).filter(c -> c != null).toList();
    }

    /** Takes a part out of supervision (a deliberate stop): its exit is not a crash. */
    synchronized ChildProcess hold(String name) {
        Part part = parts.get(name);
        if (part == null) {
            throw new LaunchException("no part named " + name);
        }
        part.held = true;
        return part.child;
    }

    /** Starts a held part again, supervised from now on. */
    synchronized ChildProcess release(String name) {
        Part part = parts.get(name);
        if (part == null) {
            throw new LaunchException("no part named " + name);
        }
        part.held = false;
        part.run(part.spec.start().get());
        writeStatus();
        return part.child;
    }

    /** No more restarts: the platform stops. */
    void stop() {
        stopping = true;
        scheduler.shutdownNow();
        livenessChecks.shutdownNow();
        try {
            Files.deleteIfExists(statusFile);
        } catch (IOException ignored) {
            // stale status is recognised by its launcher pid
        }
    }

    private void onExit(Part part, ChildProcess exited) {
        if (stopping || !supervising) {
            return;
        }
        Duration delay;
        int recent;
        synchronized (this) {
            if (part.held || part.child != exited) {
                return;
            }
            long now = System.nanoTime();
            part.exits.addLast(now);
            while (!part.exits.isEmpty() && now - part.exits.peekFirst() > WINDOW.toNanos()) {
                part.exits.removeFirst();
            }
            recent = part.exits.size();
            delay = backoff(recent);
            part.lastExit = exited.exitCode();
            part.state = "restarting";
            writeStatus();
        }
        String code = exited.exitCode().map(String::valueOf).orElse("?");
        if (recent >= CRASH_LOOP) {
            if (!part.crashLoopReported) {
                part.crashLoopReported = true;
                out.printf(Locale.ROOT, "%s is crash-looping: %d exits in %d s (last code %s: %s); retrying in %s, "
                                + "then at most every %d s; the rest keeps serving (log: %s)%n", part.spec.name(), recent,
                        WINDOW.toSeconds(), code, exited.reason().orElse("no output"), seconds(delay), MAX_DELAY.toSeconds(),
                        exited.log());
            }
        } else {
            out.printf(Locale.ROOT, "%s exited with code %s; restarting in %s, %s time in %d s%n",
                    part.spec.name(), code, seconds(delay), ordinal(recent), WINDOW.toSeconds());
        }
        try {
            scheduler.schedule(() -> restart(part), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException rejected) {
            // the platform is stopping
        }
    }

    private void restart(Part part) {
        ChildProcess child;
        synchronized (this) {
            if (stopping || part.held) {
                return;
            }
            try {
                part.run(part.spec.start().get());
            } catch (LaunchException e) {
                out.println(part.spec.name() + " could not be restarted: " + e.getMessage());
                scheduler.schedule(() -> restart(part), backoff(part.exits.size()).toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            part.restarts++;
            writeStatus();
            child = part.child;
        }
        awaitReady(part, child, System.nanoTime() + READY_TIMEOUT.toNanos());
    }

    /** Polls readiness on the supervisor's thread without blocking it between polls. */
    private void awaitReady(Part part, ChildProcess child, long deadline) {
        if (stopping || part.child != child) {
            return;
        }
        boolean ready;
        try {
            ready = part.spec.ready().poll(child);
        } catch (LaunchException died) {
            return; // its exit is handled as any other
        }
        if (ready) {
            synchronized (this) {
                part.state = "running";
                if (part.exits.size() < CRASH_LOOP) {
                    part.crashLoopReported = false;
                }
                writeStatus();
            }
            out.printf(Locale.ROOT, "%s is back: ready in %.1f s (restart %d)%n", part.spec.name(), child.secondsSinceStart(),
                    part.restarts);
        } else if (deadline != Long.MAX_VALUE && System.nanoTime() > deadline) {
            // e.g. restarted while MongoDB is away: say so once, and keep watching for it to get ready
            out.printf(Locale.ROOT, "%s was restarted but is not ready after %d s; still waiting (log: %s)%n",
                    part.spec.name(), READY_TIMEOUT.toSeconds(), child.log());
            scheduler.schedule(() -> awaitReady(part, child, Long.MAX_VALUE), 1, TimeUnit.SECONDS);
        } else {
            scheduler.schedule(() -> awaitReady(part, child, deadline), deadline == Long.MAX_VALUE ? 1000 : 200,
                    TimeUnit.MILLISECONDS);
        }
    }

    private void checkLiveness() {
        List<Part> running;
        synchronized (this) {
            running = parts.values().stream().filter(p -> !p.held && "running".equals(p.state) && p.spec.live().isPresent())
                    .toList();
        }
        for (Part part : running) {
            ChildProcess child = part.child;
            boolean live;
            try {
                live = part.spec.live().get().poll(child);
            } catch (LaunchException died) {
                continue; // its exit is handled as any other
            }
            part.livenessFailures = live ? 0 : part.livenessFailures + 1;
            if (part.livenessFailures >= LIVENESS_FAILURES && !stopping && part.child == child) {
                part.livenessFailures = 0;
                out.printf(Locale.ROOT, "%s failed %d liveness checks in a row; stopping it to restart it (log: %s)%n",
                        part.spec.name(), LIVENESS_FAILURES, child.log());
                Thread stopper = new Thread(() -> child.stop(Duration.ofSeconds(20)), "stop-" + part.spec.name());
                stopper.setDaemon(true);
                stopper.start();
            }
        }
    }

    static Duration backoff(int recentExits) {
        long millis = FIRST_DELAY.toMillis() << Math.min(Math.max(recentExits - 1, 0), 16);
        return Duration.ofMillis(Math.min(millis, MAX_DELAY.toMillis()));
    }

    static String ordinal(int n) {
        String suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** One line a part, read by {@link Status}: pid, start time, restarts, state. */
    private void writeStatus() {
        Properties p = new Properties();
        p.setProperty("launcher.pid", String.valueOf(ProcessHandle.current().pid()));
        List<String> names = new ArrayList<>(parts.keySet());
        p.setProperty("parts", String.join(",", names));
        parts.forEach((name, part) -> {
            p.setProperty(name + ".pid", String.valueOf(part.child.pid()));
            p.setProperty(name + ".started", String.valueOf(part.startedAtMillis));
            p.setProperty(name + ".restarts", String.valueOf(part.restarts));
            p.setProperty(name + ".state", part.held ? "stopped" : part.state);
            part.lastExit.ifPresent(code -> p.setProperty(name + ".last-exit", String.valueOf(code)));
        });
        try {
            Files.createDirectories(statusFile.getParent());
            Path tmp = statusFile.resolveSibling(statusFile.getFileName() + ".tmp");
            try (var writer = Files.newBufferedWriter(tmp)) {
                p.store(writer, "written by the Conduit launcher; read by ./conduit status");
            }
            Files.move(tmp, statusFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + statusFile, e);
        }
    }

    private final class Part {
        final Spec spec;
        final Deque<Long> exits = new ArrayDeque<>();
        volatile ChildProcess child;
        volatile boolean held;
        int restarts;
        long startedAtMillis;
        String state = "starting";
        Optional<Integer> lastExit = Optional.empty();
        boolean crashLoopReported;
        int livenessFailures;

        Part(Spec spec) {
            this.spec = spec;
        }

        void run(ChildProcess started) {
            child = started;
            startedAtMillis = System.currentTimeMillis();
            state = "starting";
            started.onExit(() -> onExit(this, started));
        }
    }
}

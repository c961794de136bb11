package dev.conduit.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./conduit [start|stop|status]}: runs the whole platform in the foreground until Ctrl-C,
 * stops a running one, or tells whether one runs; {@code train} is the last step of {@code ./conduit build}
 * (see {@link Platform#train}). Every failure is one line on stderr and exit 1.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "start" : args[0];
        Path home = Path.of(System.getProperty("conduit.home", ".")).toAbsolutePath().normalize();
        try {
            Platform.Settings settings = Platform.Settings.fromEnvironment(home, System::getenv);
            switch (command) {
                case "start" -> start(settings);
                case "stop" -> stop(settings);
                case "status" -> status(settings);
                case "train" -> train(settings);
                default -> throw new LaunchException("unknown command '" + command + "'; use start, stop, status or train");
            }
        } catch (LaunchException e) {
            System.err.println("conduit: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void start(Platform.Settings settings) {
        DataDir claimed = DataDir.open(settings.dataDir());
        claimed.runningLauncher().ifPresent(p -> {
            throw new LaunchException("Conduit already runs on data dir " + claimed.root() + " (launcher pid " + p.pid()
                    + "); stop it with ./conduit stop");
        });
        // before starting, so that a stop issued while the platform starts finds this launcher
        writePidFile(claimed);
        Platform platform = new Platform(settings, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.out.println();
            System.out.println("stopping Conduit ...");
            platform.close();
            removePidFile(claimed);
            System.out.println("stopped");
            stopped.countDown();
        }, "conduit-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            System.out.println("starting Conduit: kafka, mongo, user-service, post-service, comment-service, trending-service, gateway");
            platform.start();
        } catch (LaunchException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            platform.close();
            removePidFile(claimed);
            throw e;
        }
        Platform.Settings s = platform.settings();
        DataDir data = platform.data();
        System.out.println();
        System.out.println("  API         " + s.gatewayUrl() + "/api");
        System.out.println("  Trending    " + s.gatewayUrl() + "/api/trending/articles, /api/trending/tags");
        System.out.println("  Swagger UI  " + s.gatewayUrl() + "/q/swagger-ui");
        System.out.println("  Health      " + s.gatewayManagementUrl() + "/q/health/group/platform");
        System.out.println("  Metrics     " + s.gatewayManagementUrl() + "/q/metrics");
        System.out.println("  Data        " + data.root());
        System.out.println("  Logs        " + data.logs());
        System.out.println();
        System.out.println("Press Ctrl-C to stop (or run ./conduit stop in another terminal).");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The platform once on free ports and a throwaway data dir (a platform running with the same
     * settings is not disturbed), through {@link Platform#train}: the services' class-data archives.
     */
    private static void train(Platform.Settings settings) {
        Path data;
        try {
            data = Files.createTempDirectory("conduit-training");
        } catch (IOException e) {
            throw new LaunchException("cannot create a data dir for the training run: " + e.getMessage(), e);
        }
        Platform platform = new Platform(Platform.Settings.onFreePorts(settings.home(), data, settings.serviceJvmOpts()),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        Thread hook = new Thread(platform::close, "conduit-training-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        long begin = System.nanoTime();
        try {
            List<String> kept = platform.train();
            System.out.printf(Locale.ROOT, "class-data archives from a training run (%.0f s):%n", (System.nanoTime() - begin) / 1e9);
            kept.forEach(line -> System.out.println("  " + line));
        } finally {
            Runtime.getRuntime().removeShutdownHook(hook);
            DataDir.deleteRecursively(data);
        }
    }

    private static void stop(Platform.Settings settings) {
        DataDir data = DataDir.open(settings.dataDir());
        Optional<ProcessHandle> launcher = data.runningLauncher();
        if (launcher.isEmpty()) {
            System.out.println("Conduit is not running (data dir " + data.root() + ")");
            return;
        }
        ProcessHandle p = launcher.get();
        System.out.println("stopping Conduit (launcher pid " + p.pid() + ") ...");
        p.destroy();
        try {
            p.onExit().get(Duration.ofSeconds(90).toSeconds(), TimeUnit.SECONDS);
            System.out.println("stopped");
        } catch (Exception e) {
            throw new LaunchException("launcher pid " + p.pid() + " did not stop within 90 s; kill it with: kill -9 " + p.pid());
        }
    }

    /** Exit code 0 when running, 3 when not (as LSB status commands do), so scripts can ask. */
    private static void status(Platform.Settings settings) {
        DataDir data = DataDir.open(settings.dataDir());
        Optional<ProcessHandle> launcher = data.runningLauncher();
        if (launcher.isPresent()) {
            System.out.println("Conduit runs (launcher pid " + launcher.get().pid() + ") at " + settings.gatewayUrl());
            Status.read(data.statusFile(), launcher.get().pid()).forEach(line -> System.out.println("  " + line));
        } else {
            System.out.println("Conduit is not running (data dir " + data.root() + ")");
            System.exit(3);
        }
    }

    private static void writePidFile(DataDir data) {
        try {
            Files.writeString(data.pidFile(), String.valueOf(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new LaunchException("cannot write " + data.pidFile() + ": " + e.getMessage(), e);
        }
    }

    private static void removePidFile(DataDir data) {
        try {
            Files.deleteIfExists(data.pidFile());
        } catch (IOException ignored) {
            // a stale pid file is recognised as such at the next start
        }
    }
}

package dev.conduit.bench;

import dev.conduit.localstack.DataDir;
import dev.conduit.localstack.LaunchException;
import dev.conduit.localstack.Platform;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The benchmark of issue 12: starts the packaged platform on a fresh data dir and free ports (as
 * {@code ./conduit} starts it), seeds the data set through the API, runs each scenario
 * through the gateway (and with {@code --direct} against the service that answers it), prints the
 * figures and writes them to {@code BENCHMARKS.md}; then stops the platform. It measures, it does
 * not judge: a run below the targets still ends with 0.
 */
public final class Main {

    /** The gateway's limits that would otherwise turn a load run into 429s; bench/run.sh sets them. */
    static final List<String> RATE_LIMITS = List.of("CONDUIT_GATEWAY_RATE_LIMIT_CLIENT_REQUESTS",
            "CONDUIT_GATEWAY_RATE_LIMIT_USER_REQUESTS", "CONDUIT_GATEWAY_RATE_LIMIT_AUTH_REQUESTS");
    static final long LIFTED = 100_000_000;
    /** Below this much CPU a second (all seven processes) the platform counts as quiet between runs. */
    private static final double QUIET_CPU_MS_PER_SECOND = 50;
    /**
     * The six processes issue 12's figures are about (the four services, Kafka, MongoDB): the
     * "platform" CPU per request; trending-service is measured beside them, never in their sum.
     */
    private static final List<String> PLATFORM = Stream.concat(Processes.SERVICES.stream(), Processes.SERVERS.stream()).toList();
    /** Everything that may still work after a run: trending-service processes the run's events too. */
    private static final List<String> EVERYTHING = Stream.concat(PLATFORM.stream(), Processes.STREAMS.stream()).toList();

    /**
     * One measured run: a scenario through one entry, the processes' state at the end of the window
     * and the CPU each used per 2xx answer in it.
     */
    record Run(Scenario scenario, String via, LoadGenerator.Result result, Processes.Snapshot after,
               Map<String, OptionalDouble> cpu, OptionalDouble platformCpu) {

        OptionalDouble cpuMsPerRequest(String process) {
            return cpu.getOrDefault(process, OptionalDouble.empty());
        }

        OptionalDouble platformCpuMsPerRequest() {
            return platformCpu;
        }
    }

    private final Path home;
    private final Options options;
    private final String command;
    private final PrintStream out = System.out;

    private Main(Path home, Options options, String command) {
        this.home = home;
        this.options = options;
        this.command = command;
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("conduit.home", ".")).toAbsolutePath().normalize();
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(List.of(args).contains("--trending") ? TrendingBench.USAGE : Options.USAGE);
            return;
        }
        if (List.of(args).contains("--trending")) {
            trending(home, args);
            return;
        }
        Options options;
        try {
            options = Options.parse(List.of(args), home.resolve("BENCHMARKS.md"));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        List<String> notLifted = RATE_LIMITS.stream().filter(key -> !lifted(System.getenv(key))).toList();
        if (!notLifted.isEmpty()) {
            System.err.println("bench: the gateway's rate limits are not lifted (" + String.join(", ", notLifted)
                    + " must be at least " + LIFTED + "); run bench/run.sh, which sets them for the platform it starts");
            System.exit(2);
        }
        String command = System.getProperty("bench.command", "bench/run.sh " + String.join(" ", args)).strip();
        try {
            new Main(home, options, command).run();
        } catch (LaunchException | IllegalStateException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(1);
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** {@code --trending}: issue 15's figures ({@link TrendingBench}), a section of BENCHMARKS.md. */
    private static void trending(Path home, String[] args) {
        TrendingBench.Options options;
        try {
            options = TrendingBench.Options.parse(List.of(args), home.resolve("BENCHMARKS.md"));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(TrendingBench.USAGE);
            System.exit(2);
            return;
        }
        String command = System.getProperty("bench.command", "bench/run.sh " + String.join(" ", args)).strip();
        try {
            new TrendingBench(home, options, command).run();
        } catch (LaunchException | IllegalStateException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(1);
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** The platform on a fresh data dir and free ports (a ./conduit running elsewhere does not matter), ./conduit's JVM options. */
    static Platform.Settings freeSettings(Path home, Path data) {
        return Platform.Settings.onFreePorts(home, data, Platform.Settings.fromEnvironment(home, System::getenv).serviceJvmOpts());
    }

    static boolean lifted(String value) {
        try {
            return value != null && Long.parseLong(value.trim()) >= LIFTED;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void run() {
        Path data = home.resolve("bench").resolve("target").resolve("platform-data");
        DataDir.deleteRecursively(data);
        Platform.Settings settings = freeSettings(home, data);
        Platform platform = new Platform(settings, out);
        Thread stopper = new Thread(platform::close, "bench-platform-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        Vertx vertx = null;
        try {
            String loadBefore = Machine.loadAverage();
            out.printf(Locale.ROOT, "starting the platform on a fresh data dir (%s)%n", data);
            long begin = System.nanoTime();
            platform.start();
            double startSeconds = (System.nanoTime() - begin) / 1e9;
            Processes processes = new Processes(platform);

            String runId = Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
            out.printf(Locale.ROOT, "seeding: 1 user, %,d articles, %d comments on the first, through the gateway%n",
                    options.articles(), options.comments());
            Seeder.Seeded seeded = new Seeder(settings.gatewayUrl(), out).seed(runId, options.articles(), options.comments());
            out.printf(Locale.ROOT, "seeded in %.1f s%n", seeded.seconds());

            List<Propagation.Result> propagation = List.of();
            if (options.propagation() > 0) {
                settle(processes);
                propagation = new Propagation(settings.gatewayUrl(), out).measure(seeded, runId, options.propagation());
            }

            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.threads()));
            LoadGenerator load = new LoadGenerator(vertx);
            List<Run> runs = new ArrayList<>();
            for (Scenario scenario : options.scenarios()) {
                List<String> entries = options.direct() ? List.of("gateway", scenario.service) : List.of("gateway");
                for (String via : entries) {
                    settle(processes);
                    runs.add(measure(load, processes, scenario, via, settings, seeded, runId));
                }
            }
            Report report = new Report(options, command, Machine.describe(), settings.serviceJvmOpts(), startSeconds, seeded,
                    loadBefore, Machine.loadAverage(), ZonedDateTime.now(), runs, propagation);
            out.println();
            out.print(report.text());
            report.write(options.out());
            out.println("written to " + options.out());
        } finally {
            if (vertx != null) {
                vertx.close();
            }
            platform.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException e) {
                // already shutting down (Ctrl-C): the hook stops the platform
            }
        }
    }

    private Run measure(LoadGenerator load, Processes processes, Scenario scenario, String via, Platform.Settings settings,
                        Seeder.Seeded seeded, String runId) {
        boolean gateway = via.equals("gateway");
        int port = gateway ? settings.gatewayPort() : scenario.service.equals("comment-service") ? settings.commentPort() : settings.postPort();
        String uri = (gateway ? "/api" : "") + scenario.path(seeded);
        LoadGenerator.Request request = new LoadGenerator.Request(scenario.method, port, uri,
                scenario.needsToken() ? seeded.token() : null,
                scenario.needsToken() ? n -> scenario.body(runId + (gateway ? "g" : "d"), n) : null);
        out.printf(Locale.ROOT, "%-8s via %-15s %d s warm-up, %d s measured, %d connections ...%n",
                scenario.key, via, options.warmup(), options.seconds(), options.connections());
        Processes.Snapshot[] edges = new Processes.Snapshot[2];
        LoadGenerator.Result result = load.run(request, options.connections(), options.threads(),
                Duration.ofSeconds(options.warmup()), Duration.ofSeconds(options.seconds()), new LoadGenerator.Window() {
                    @Override
                    public void opened() {
                        edges[0] = processes.snapshot();
                    }

                    @Override
                    public void closing() {
                        edges[1] = processes.snapshot();
                    }
                });
        out.printf(Locale.ROOT, "         %s req/s, p50 %s ms, p99 %s ms, %d errors%s%n",
                Table.number(result.perSecond(), 0), Table.number(result.percentileMs(50), 1),
                Table.number(result.percentileMs(99), 1), result.errorCount(),
                result.errors().isEmpty() ? "" : " " + result.errors());
        Map<String, OptionalDouble> cpu = new LinkedHashMap<>();
        Processes.all().forEach(name -> cpu.put(name, processes.cpuMsPerRequest(edges[0], edges[1], name, result.ok())));
        OptionalDouble platformCpu = result.ok() == 0 ? OptionalDouble.empty()
                : OptionalDouble.of(processes.cpuMs(edges[0], edges[1], PLATFORM) / result.ok());
        return new Run(scenario, via, result, edges[1], cpu, platformCpu);
    }

    /**
     * Waits (at most 30 s) until the platform is quiet, so that one run's leftovers (events still
     * relayed and consumed, garbage collection) are not billed to the next.
     */
    private void settle(Processes processes) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Processes.Snapshot previous = processes.snapshot();
        double perSecond = Double.NaN;
        while (System.nanoTime() < deadline) {
            sleep(1000);
            Processes.Snapshot now = processes.snapshot();
            perSecond = processes.cpuMs(previous, now, EVERYTHING);
            if (perSecond < QUIET_CPU_MS_PER_SECOND) {
                return;
            }
            previous = now;
        }
        out.printf(Locale.ROOT, "  (the platform still used %.0f ms of CPU a second after 30 s; measuring anyway)%n", perSecond);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}

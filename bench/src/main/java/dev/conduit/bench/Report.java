package dev.conduit.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/** The figures of one benchmark run: as text for the console, as Markdown for BENCHMARKS.md. */
final class Report {

    static final double TARGET_START_SECONDS = 10;
    static final double TARGET_RSS_MIB = 600;

    private final Options options;
    private final String command;
    private final Machine machine;
    private final List<String> serviceJvmOpts;
    private final double startSeconds;
    private final Seeder.Seeded seeded;
    private final String loadBefore;
    private final String loadAfter;
    private final ZonedDateTime when;
    private final List<Main.Run> runs;
    private final List<Propagation.Result> propagation;

    Report(Options options, String command, Machine machine, List<String> serviceJvmOpts, double startSeconds,
           Seeder.Seeded seeded, String loadBefore, String loadAfter, ZonedDateTime when, List<Main.Run> runs,
           List<Propagation.Result> propagation) {
        this.options = options;
        this.command = command;
        this.machine = machine;
        this.serviceJvmOpts = serviceJvmOpts;
        this.startSeconds = startSeconds;
        this.seeded = seeded;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.when = when;
        this.runs = runs;
        this.propagation = propagation;
    }

    String text() {
        StringBuilder out = new StringBuilder();
        facts().forEach(f -> out.append(f).append('\n'));
        if (!propagation.isEmpty()) {
            out.append("\nEvent propagation: a write at the gateway until another service's read model shows it (goal: p99 under ")
                    .append(Table.number(Propagation.TARGET_P99_MS, 0)).append(" ms)\n")
                    .append(propagationTable().text());
        }
        if (!runs.isEmpty()) {
            out.append("\nThroughput and latency (2xx answers; targets and peers from issue 12, wrk -t2 -c64)\n")
                    .append(throughput().text())
                    .append("\nCPU ms per request, by process (utime + stime in the window / 2xx answers)\n")
                    .append(cpu().text())
                    .append("\nMemory, RSS in MiB at the end of each measured window\n")
                    .append(memory().text())
                    .append('\n').append(rssSummary()).append('\n');
        }
        errors().forEach(e -> out.append(e).append('\n'));
        return out.toString();
    }

    String markdown() {
        StringBuilder out = new StringBuilder("# Benchmarks\n\n");
        out.append("One run of the project's benchmark (`bench/`), written by the tool itself; the next run replaces this file.")
                .append(options.isIssueWorkload() ? "\n" : "\n\n**Not the issue's workload** (shorter or smaller): "
                        + "do not compare these figures with the targets.\n")
                .append('\n');
        facts().forEach(f -> out.append("- ").append(f).append('\n'));
        if (!propagation.isEmpty()) {
            out.append("\n## Event propagation\n\n")
                    .append(String.format(Locale.ROOT, "From sending a write to the gateway until a read through the gateway shows "
                            + "it answered by another service's read model, which only the write's event updates (outbox relay, "
                            + "Kafka, consumer, MongoDB). One write at a time on the quiet platform, before the load runs, "
                            + "%d ms apart, after %d unmeasured ones; each read model polled back to back by its own client, "
                            + "so a figure includes the write's own answer and up to one read's round trip. Goal: p99 under "
                            + "%.0f ms.%n%n", Propagation.PACE.toMillis(), Propagation.WARMUP, Propagation.TARGET_P99_MS))
                    .append(propagationTable().markdown());
        }
        if (!runs.isEmpty()) {
            out.append("\n## Throughput and latency\n\n")
                    .append("Requests per second and latencies count 2xx answers in the measured window; latency runs from writing "
                            + "the request to reading the whole answer (closed loop like wrk, not corrected for coordinated omission). "
                            + "Targets and the peers' figures are the issue's (wrk -t2 -c64); they apply to the whole system, "
                            + "so only the rows via the gateway are checked against them.\n\n")
                    .append(throughput().markdown())
                    .append("\n## CPU per request\n\n")
                    .append("CPU milliseconds (utime + stime from `/proc/<pid>/stat`) each process used during the measured "
                            + "window, divided by the 2xx answers in it. `platform` is the six processes together (the four services, "
                            + "Kafka, MongoDB: issue 12's platform); `trending-service` (issue 15's Kafka Streams application) "
                            + "is beside them, not in that sum; `bench` is the load generator, shown to tell whether it was the "
                            + "bottleneck.\n\n")
                    .append(cpu().markdown())
                    .append("\n## Memory\n\n")
                    .append("RSS (`VmRSS` of `/proc/<pid>/status`) in MiB at the end of each measured window, still under load; "
                            + "`4 services, peak` sums the four services' peak RSS since they started (`VmHWM`); "
                            + "trending-service is counted apart, outside issue 12's target.\n\n")
                    .append(memory().markdown())
                    .append('\n').append(rssSummary()).append('\n');
        }
        List<String> errors = errors();
        if (!errors.isEmpty()) {
            out.append("\n## Errors\n\n");
            errors.forEach(e -> out.append("- ").append(e).append('\n'));
        }
        out.append("""

                ## How to rerun

                On an otherwise idle machine, from the repository root (JDK 17+, nothing else; the script builds the
                platform and the tool with `./mvnw`, then starts the platform on free ports and a fresh data dir under
                `bench/target/`, and stops it at the end):

                ```bash
                bench/run.sh                    # the issue's workload: 200 articles, 64 connections, 5 s + 20 s per scenario
                bench/run.sh --articles 10000   # the same on a collection of 10,000 articles
                bench/run.sh --direct           # also each scenario on its service's own port, without the gateway
                bench/run.sh --scenarios none   # only the event propagation (200 paced writes of each kind)
                bench/run.sh --help             # every option
                ```

                The script lifts the gateway's rate limits for the platform it starts through the environment
                (`CONDUIT_GATEWAY_RATE_LIMIT_CLIENT_REQUESTS`, `..._USER_REQUESTS`, `..._AUTH_REQUESTS`); the product's
                defaults stay as they are. `BENCH_SKIP_BUILD=1` reuses what is already built.
                """);
        return out.toString();
    }

    void write(Path file) {
        try {
            // issue 15's section (bench/run.sh --trending) stays as it was
            String text = markdown();
            if (Files.isRegularFile(file)) {
                String kept = TrendingBench.section(Files.readString(file)).orElse(null);
                if (kept != null) {
                    text = TrendingBench.withSection(text, kept);
                }
            }
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> facts() {
        return List.of(
                "date: " + when.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ROOT)),
                "command: `" + command + "`",
                String.format(Locale.ROOT, "machine: %d CPUs (%s), %s memory; %s; %s", machine.cpus(), machine.cpuModel(),
                        machine.memory(), machine.java(), machine.os()),
                "load average (1, 5, 15 min): " + loadBefore + " before the run, " + loadAfter + " after it",
                "service JVM options: `" + String.join(" ", serviceJvmOpts) + "`",
                String.format(Locale.ROOT, "start: the platform was up in %.1f s on a fresh data dir (target for `./conduit` "
                        + "once built: under %.0f s)", startSeconds, TARGET_START_SECONDS),
                String.format(Locale.ROOT, "data: 1 user, %,d articles, %d comments on the first article, seeded through the "
                        + "gateway in %.1f s; `create` adds articles as it runs, so it runs last", seeded.articles(),
                        seeded.comments(), seeded.seconds()),
                String.format(Locale.ROOT, "load: %d connections on %d event loops, %d s warm-up then %d s measured per run, "
                        + "the gateway's rate limits lifted", options.connections(), options.threads(), options.warmup(),
                        options.seconds()));
    }

    private Table propagationTable() {
        Table table = new Table(2, "write", "shown by", "samples", "p50 ms", "p99 ms", "max ms", "not seen in 10 s", "goal met")
                .text("goal met");
        for (Propagation.Result p : propagation) {
            table.row(p.write(), p.readModel(), Table.number(p.samples(), 0), Table.number(p.percentile(50), 1),
                    Table.number(p.percentile(99), 1), Table.number(p.max(), 1), Table.number(p.missed(), 0),
                    p.met() ? "yes" : "no");
        }
        return table;
    }

    private Table throughput() {
        Table table = new Table(2, "scenario", "via", "req/s", "target req/s", "p50 ms", "p99 ms", "target p99 ms",
                "errors", "targets met", "Express+Mongoose", "WebFlux", "Quarkus monolith").text("targets met");
        for (Main.Run run : runs) {
            LoadGenerator.Result r = run.result();
            Scenario s = run.scenario();
            boolean system = run.via().equals("gateway");
            table.row(s.label(), run.via(), Table.number(r.perSecond(), 0), "> " + Table.number(s.targetPerSecond, 0),
                    Table.number(r.percentileMs(50), 1), Table.number(r.percentileMs(99), 1),
                    "< " + Table.number(Scenario.TARGET_P99_MS, 0), Table.number(r.errorCount(), 0),
                    system ? met(run) : "",
                    system ? Table.number(s.express, 0) : "", system ? Table.number(s.webflux, 0) : "",
                    system ? Table.number(s.quarkusMonolith, 0) : "");
        }
        return table;
    }

    private static String met(Main.Run run) {
        LoadGenerator.Result r = run.result();
        List<String> missed = new ArrayList<>();
        if (!(r.perSecond() > run.scenario().targetPerSecond)) {
            missed.add("req/s");
        }
        if (!(r.percentileMs(99) < Scenario.TARGET_P99_MS)) {
            missed.add("p99");
        }
        if (r.errorCount() > 0) {
            missed.add("errors");
        }
        return missed.isEmpty() ? "yes" : "no: " + String.join(", ", missed);
    }

    private Table cpu() {
        Table table = new Table(2, "scenario", "via", "gateway", "user-service", "post-service", "comment-service", "kafka",
                "mongo", "platform", "trending-service", "bench");
        for (Main.Run run : runs) {
            table.row(run.scenario().label(), run.via(),
                    Table.small(run.cpuMsPerRequest("gateway")), Table.small(run.cpuMsPerRequest("user-service")),
                    Table.small(run.cpuMsPerRequest("post-service")), Table.small(run.cpuMsPerRequest("comment-service")),
                    Table.small(run.cpuMsPerRequest("kafka")), Table.small(run.cpuMsPerRequest("mongo")),
                    Table.small(run.platformCpuMsPerRequest()), Table.small(run.cpuMsPerRequest(Processes.TRENDING)),
                    Table.small(run.cpuMsPerRequest(Processes.BENCH)));
        }
        return table;
    }

    private Table memory() {
        Table table = new Table(2, "scenario", "via", "gateway", "user-service", "post-service", "comment-service", "kafka",
                "mongo", "4 services", "4 services, peak", "trending-service");
        for (Main.Run run : runs) {
            Processes.Snapshot end = run.after();
            table.row(run.scenario().label(), run.via(),
                    mib(end, "gateway"), mib(end, "user-service"), mib(end, "post-service"), mib(end, "comment-service"),
                    mib(end, "kafka"), mib(end, "mongo"),
                    Table.number(end.rssMib(Processes.SERVICES), 0), Table.number(end.peakRssMib(Processes.SERVICES), 0),
                    mib(end, Processes.TRENDING));
        }
        return table;
    }

    private static String mib(Processes.Snapshot snapshot, String name) {
        return snapshot.of(name).map(s -> Table.number(s.rssKib() / 1024.0, 0)).orElse("n/a");
    }

    private String rssSummary() {
        OptionalDouble most = runs.stream().map(r -> r.after().rssMib(Processes.SERVICES))
                .filter(OptionalDouble::isPresent).mapToDouble(OptionalDouble::getAsDouble).max();
        OptionalDouble trending = runs.stream().map(r -> r.after().rssMib(Processes.STREAMS))
                .filter(OptionalDouble::isPresent).mapToDouble(OptionalDouble::getAsDouble).max();
        return String.format(Locale.ROOT, "Summed RSS of the four services under load: at most %s MiB (target: under %.0f MiB). "
                        + "trending-service (issue 15, not one of the four): at most %s MiB.",
                Table.number(most, 0), TARGET_RSS_MIB, Table.number(trending, 0));
    }

    private List<String> errors() {
        return runs.stream().filter(r -> r.result().errorCount() > 0)
                .map(r -> "errors in " + r.scenario().key + " via " + r.via() + ": " + r.result().errors().entrySet().stream()
                        .map(e -> e.getKey() + " x " + e.getValue()).collect(Collectors.joining(", ")))
                .toList();
    }
}

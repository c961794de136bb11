package dev.conduit.bench;

import dev.conduit.localstack.DataDir;
import dev.conduit.localstack.Platform;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/run.sh --trending}: the figures of issue 15. First the events a second
 * trending-service's topology sustains ({@link TrendingThroughput}; exactly-once as in production,
 * then at-least-once for comparison), then the delay of a live update through the gateway on the
 * platform as {@code ./conduit} runs it ({@link LiveDelay}). Writes the section
 * {@value #HEADING} of {@code BENCHMARKS.md} (the rest of the file stays; the issue-12 run keeps
 * this section when it rewrites the file).
 */
final class TrendingBench {

    static final String HEADING = "## Trending and live updates";

    static final String USAGE = """
            usage: bench/run.sh --trending [options]
              --events N         events pre-produced for the throughput runs (200000; 0 skips them)
              --guarantees LIST  processing guarantees to run, in order (exactly_once_v2,at_least_once)
              --live N           live delays measured through the gateway, comments and feed (200 each; 0 skips it)
              --out FILE         the file whose section "Trending and live updates" is written (BENCHMARKS.md)
            """;

    record Options(int events, List<String> guarantees, int live, Path out) {

        static Options parse(List<String> args, Path defaultOut) {
            int events = 200_000;
            List<String> guarantees = List.of("exactly_once_v2", "at_least_once");
            int live = 200;
            Path out = defaultOut;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--trending" -> {
                    }
                    case "--events" -> events = number(arg, value(args, ++i, arg));
                    case "--guarantees" -> guarantees = guarantees(value(args, ++i, arg));
                    case "--live" -> live = number(arg, value(args, ++i, arg));
                    case "--out" -> out = Path.of(value(args, ++i, arg)).toAbsolutePath();
                    default -> throw new IllegalArgumentException("unknown option " + arg + " (with --trending)");
                }
            }
            if (events == 0 && live == 0) {
                throw new IllegalArgumentException("--events 0 and --live 0 leave nothing to measure");
            }
            return new Options(events, guarantees, live, out);
        }

        private static List<String> guarantees(String list) {
            List<String> chosen = new ArrayList<>();
            for (String g : list.split(",")) {
                String key = g.trim();
                if (!key.equals("exactly_once_v2") && !key.equals("at_least_once")) {
                    throw new IllegalArgumentException("--guarantees: exactly_once_v2 or at_least_once, not " + key);
                }
                chosen.add(key);
            }
            return List.copyOf(chosen);
        }

        private static String value(List<String> args, int i, String option) {
            if (i >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(i);
        }

        private static int number(String option, String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException(option + " " + value + " is not a whole number of at least 0");
        }
    }

    private final Path home;
    private final Options options;
    private final String command;
    private final PrintStream out = System.out;

    TrendingBench(Path home, Options options, String command) {
        this.home = home;
        this.options = options;
        this.command = command;
    }

    void run() {
        String loadBefore = Machine.loadAverage();
        List<String> jvmOpts = Platform.Settings.fromEnvironment(home, System::getenv).serviceJvmOpts();
        TrendingThroughput.Produced produced = null;
        List<TrendingThroughput.Run> runs = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        if (options.events() > 0) {
            Path work = home.resolve("bench").resolve("target").resolve("trending-data");
            DataDir.deleteRecursively(work);
            TrendingThroughput throughput = new TrendingThroughput(home, work, out);
            if (!Files.isRegularFile(throughput.runner())) {
                throw new IllegalStateException("trending-service is not built (" + throughput.runner() + "); run without BENCH_SKIP_BUILD");
            }
            Thread stopper = new Thread(throughput::stopKafka, "bench-kafka-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                out.println("starting Kafka (local-stack's KafkaServerMain) on free ports ...");
                throughput.startKafka();
                produced = throughput.produce(options.events());
                for (String guarantee : options.guarantees()) {
                    String before = Machine.loadAverage();
                    // production's application id for production's guarantee; another group for the comparison
                    String applicationId = guarantee.equals("exactly_once_v2") ? "conduit-trending" : "conduit-trending-alo";
                    runs.add(throughput.run(guarantee, applicationId, jvmOpts, options.events()));
                    loads.add(before + " / " + Machine.loadAverage());
                }
            } finally {
                throughput.stopKafka();
                removeHook(stopper);
            }
        }
        List<Propagation.Result> live = null;
        String liveLoad = null;
        if (options.live() > 0) {
            Path data = home.resolve("bench").resolve("target").resolve("platform-data");
            DataDir.deleteRecursively(data);
            Platform.Settings settings = Main.freeSettings(home, data);
            Platform platform = new Platform(settings, out);
            Thread stopper = new Thread(platform::close, "bench-platform-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            try {
                out.printf(Locale.ROOT, "starting the platform on a fresh data dir (%s)%n", data);
                platform.start();
                String before = Machine.loadAverage();
                live = new LiveDelay(settings.gatewayUrl(), out).measure(options.live());
                liveLoad = before + " / " + Machine.loadAverage();
                for (Propagation.Result result : live) {
                    out.println("  " + LiveDelay.line(result));
                }
            } finally {
                platform.close();
                removeHook(stopper);
            }
        }
        String section = section(Machine.describe(), jvmOpts, loadBefore, Machine.loadAverage(), produced, runs, loads, live, liveLoad);
        section = keepSkipped(readOrEmpty(options.out()), section, produced == null, live == null);
        out.println();
        out.print(section);
        writeSection(options.out(), section);
        out.println("written to " + options.out() + " (section \"" + HEADING.substring(3) + "\")");
    }

    private String section(Machine machine, List<String> jvmOpts, String loadBefore, String loadAfter,
                           TrendingThroughput.Produced produced, List<TrendingThroughput.Run> runs, List<String> loads,
                           List<Propagation.Result> live, String liveLoad) {
        StringBuilder s = new StringBuilder();
        s.append(HEADING).append("\n\n");
        s.append("Issue 15's figures, written by `").append(command).append("` (this section only; the next such run replaces it).\n\n");
        s.append("- date: ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append('\n');
        s.append(String.format(Locale.ROOT, "- machine: %d CPUs (%s), %s memory; %s; %s%n",
                machine.cpus(), machine.cpuModel(), machine.memory(), machine.java(), machine.os()));
        s.append("- load average (1, 5, 15 min): ").append(loadBefore).append(" before, ").append(loadAfter)
                .append(" after (the machine is shared: a high load lowers these figures)\n");
        s.append("- service JVM options: `").append(String.join(" ", jvmOpts)).append("`\n\n");
        if (produced != null) {
            s.append(THROUGHPUT).append("\n\n");
            s.append(String.format(Locale.ROOT, """
                    %,d events pre-produced into `conduit.posts` and `conduit.comments` (3 partitions each) on one \
                    broker (local-stack's `KafkaServerMain`), as post-service and comment-service publish them \
                    (EventEnvelope JSON, keyed by article id, versions in sequence): %s, on %,d articles and 200 tags, \
                    event times over the last 50 minutes. Then the packaged trending-service, started as `./conduit` \
                    starts it with its production configuration (commit interval 100 ms) on a fresh state dir, timed \
                    from its readiness (Streams RUNNING) until its consumer group's committed offsets reach the end \
                    of both input topics and of the tag repartition topic (events/s = events / processing s); \
                    `inputs read s` is when the input topics alone were committed to their end (the tags' side, \
                    one repartition record per tag of an event's article, finishes later). CPU is the \
                    service process's (utime + stime) over the processing time, which depends less on the machine's \
                    other load than events/s does; RSS at the end, and its peak.%n%n""",
                    produced.events(), byType(produced), produced.articles()));
            s.append("| guarantee | events | events/s | processing s | inputs read s | start s | CPU s | CPU ms per event | cores used | RSS MiB | peak RSS MiB | applied | ignored | load average before / after |\n");
            s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (int i = 0; i < runs.size(); i++) {
                TrendingThroughput.Run r = runs.get(i);
                s.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s | %s | %d | %d | %,d | %,d | %s |%n",
                        r.guarantee() + (r.finished() ? "" : " (not finished in " + TrendingThroughput.PROCESS_LIMIT.toMinutes() + " min)"),
                        r.events(), Table.number(r.eventsPerSecond(), 0), Table.number(r.processSeconds(), 1),
                        Table.number(r.inputSeconds(), 1), Table.number(r.startSeconds(), 1), Table.number(r.cpuSeconds(), 1),
                        Table.number(r.cpuSeconds() * 1000 / r.events(), 3), Table.number(r.cores(), 2),
                        r.rssKib() / 1024, r.peakRssKib() / 1024, r.applied(), r.ignored(), loads.get(i)));
            }
            s.append("\n`applied` + `ignored` are the service's counters (`conduit_trending_events_applied_total`, "
                    + "`..._ignored_total`); together they should equal the events.\n\n");
        }
        if (live != null) {
            s.append(LIVE).append("\n\n");
            s.append("""
                    From sending `POST /api/articles/{slug}/comments` to the gateway until the comment arrives as an \
                    event on `GET /api/live/articles/{slug}/comments` through the gateway (outbox relay, Kafka, \
                    comment-service's live reader, the gateway's relay); and from sending `POST /api/articles` by an \
                    author the reader follows until the article arrives as `event: article` on the reader's \
                    `GET /api/live/feed` through the gateway (outbox relay, Kafka, post-service's live reader, the \
                    follow checked in the authors read model, the feed item read, the gateway's relay). On the \
                    platform as `./conduit` runs it, idle otherwise. One write at a time, 100 ms apart, after 20 \
                    unmeasured ones. Goal: p99 under 200 ms.

                    """);
            s.append("| write | delivered by | samples | p50 ms | p99 ms | max ms | not seen in 10 s | goal met | load average before / after |\n");
            s.append("|---|---|---:|---:|---:|---:|---:|---|---|\n");
            for (Propagation.Result result : live) {
                s.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %d | %s | %s |%n", result.write(),
                        result.readModel(), result.samples(), Table.number(result.percentile(50), 1),
                        Table.number(result.percentile(99), 1), Table.number(result.max(), 1), result.missed(),
                        result.missed() == 0 && result.percentile(99) < LiveDelay.TARGET_P99_MS ? "yes" : "no", liveLoad));
            }
            s.append('\n');
        }
        s.append("""
                ### How to rerun

                ```bash
                bench/run.sh --trending                             # both: 200,000 events (exactly-once, then at-least-once), 200 live delays
                bench/run.sh --trending --live 0                    # only the throughput
                bench/run.sh --trending --events 0                  # only the live delay (starts the whole platform)
                bench/run.sh --trending --events 1000000 --guarantees exactly_once_v2
                ```

                """);
        return s.toString();
    }

    private static String byType(TrendingThroughput.Produced produced) {
        List<String> parts = new ArrayList<>();
        for (String type : List.of("ArticlePublished", "ArticleFavorited", "ArticleUnfavorited", "CommentAdded", "CommentDeleted")) {
            parts.add(String.format(Locale.ROOT, "%,d %s", produced.byType().getOrDefault(type, 0L), type));
        }
        return String.join(", ", parts);
    }

    static final String THROUGHPUT = "### Topology throughput";
    static final String LIVE = "### Live update delay";

    /**
     * {@code section} with the subsections this run skipped ({@code --events 0}, {@code --live 0})
     * taken from the file's previous section, marked with the previous run's date; so one part can
     * be measured again without losing the other.
     */
    static String keepSkipped(String file, String section, boolean throughputSkipped, boolean liveSkipped) {
        java.util.Optional<String> previous = section(file);
        if (previous.isEmpty() || (!throughputSkipped && !liveSkipped)) {
            return section;
        }
        String old = previous.get();
        String date = old.lines().filter(l -> l.startsWith("- date: ")).findFirst().map(l -> l.substring(8)).orElse("unknown");
        StringBuilder kept = new StringBuilder();
        for (String heading : throughputSkipped && liveSkipped ? List.of(THROUGHPUT, LIVE)
                : throughputSkipped ? List.of(THROUGHPUT) : List.of(LIVE)) {
            subsection(old, heading).ifPresent(text -> kept.append(text.startsWith(heading + "\n\n_Kept from") ? text
                    : heading + "\n\n_Kept from the run of " + date + " (this run skipped it)._" + text.substring(heading.length())));
        }
        if (kept.length() == 0) {
            return section;
        }
        // the kept parts go where they belong: throughput first, the live delay before "How to rerun"
        int at = throughputSkipped ? indexOfHeading(section, LIVE) : -1;
        if (at < 0) {
            at = indexOfHeading(section, "### How to rerun");
        }
        return at < 0 ? section + kept : section.substring(0, at) + kept + section.substring(at);
    }

    private static java.util.Optional<String> subsection(String section, String heading) {
        int start = indexOfHeading(section, heading);
        if (start < 0) {
            return java.util.Optional.empty();
        }
        int next = section.indexOf("\n### ", start + heading.length());
        return java.util.Optional.of(section.substring(start, next < 0 ? section.length() : next + 1));
    }

    private static int indexOfHeading(String text, String heading) {
        int at = text.indexOf("\n" + heading + "\n");
        return at < 0 ? -1 : at + 1;
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces (or adds, before "## How to rerun" or at the end) the section in {@code file}. */
    static void writeSection(Path file, String section) {
        try {
            String text = Files.isRegularFile(file) ? Files.readString(file) : "# Benchmarks\n\n";
            Files.writeString(file, withSection(text, section));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} with its section {@value #HEADING} replaced by {@code section}, or {@code section} added. */
    static String withSection(String text, String section) {
        String body = section.endsWith("\n") ? section : section + "\n";
        int start = headingAt(text, HEADING);
        if (start >= 0) {
            int end = nextSection(text, start + HEADING.length());
            return text.substring(0, start) + body + text.substring(end);
        }
        int rerun = headingAt(text, "## How to rerun");
        if (rerun >= 0) {
            return text.substring(0, rerun) + body + text.substring(rerun);
        }
        return text + (text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n") + body;
    }

    /** The section {@value #HEADING} of {@code text}, if it has one. */
    static java.util.Optional<String> section(String text) {
        int start = headingAt(text, HEADING);
        return start < 0 ? java.util.Optional.empty()
                : java.util.Optional.of(text.substring(start, nextSection(text, start + HEADING.length())));
    }

    private static int headingAt(String text, String heading) {
        if (text.startsWith(heading + "\n")) {
            return 0;
        }
        int at = text.indexOf("\n" + heading + "\n");
        return at < 0 ? -1 : at + 1;
    }

    private static int nextSection(String text, int from) {
        int next = text.indexOf("\n## ", from);
        return next < 0 ? text.length() : next + 1;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook does it
        }
    }
}

package dev.conduit.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The command line; the defaults are the issue's workload (wrk -t2 -c64, 20 s after a 5 s warm-up). */
record Options(int seconds, int warmup, int connections, int threads, int articles, int comments,
               Set<Scenario> scenarios, boolean direct, int propagation, Path out) {

    static final String USAGE = """
            usage: bench/run.sh [options]
              --seconds N        measured seconds per run (20)
              --warmup N         warm-up seconds before each run, not measured (5)
              --connections N    concurrent connections, each a closed loop like wrk -c (64)
              --threads N        event loops of the load generator, like wrk -t (2)
              --articles N       articles seeded before the runs (200; the issue's second case: 10000)
              --comments N       comments seeded on the first article (5)
              --scenarios LIST   any of list,article,comments,create, or none (all; create always runs last)
              --propagation N    event propagation: N paced writes of each kind, measured until the read model
                                 of another service shows them (200; 0 skips it); runs before the load
              --direct           also run each scenario against its service's own port, without the gateway
              --out FILE         where the report goes (BENCHMARKS.md at the repository root)
            """;

    static Options parse(List<String> args, Path defaultOut) {
        int seconds = 20;
        int warmup = 5;
        int connections = 64;
        int threads = 2;
        int articles = 200;
        int comments = 5;
        Set<Scenario> scenarios = EnumSet.allOf(Scenario.class);
        boolean direct = false;
        int propagation = 200;
        Path out = defaultOut;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--seconds" -> seconds = positive(arg, value(args, ++i, arg));
                case "--warmup" -> warmup = atLeast(0, arg, value(args, ++i, arg));
                case "--connections" -> connections = positive(arg, value(args, ++i, arg));
                case "--threads" -> threads = positive(arg, value(args, ++i, arg));
                case "--articles" -> articles = positive(arg, value(args, ++i, arg));
                case "--comments" -> comments = atLeast(0, arg, value(args, ++i, arg));
                case "--scenarios" -> scenarios = scenarios(value(args, ++i, arg));
                case "--direct" -> direct = true;
                case "--propagation" -> propagation = atLeast(0, arg, value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg)).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (threads > connections) {
            throw new IllegalArgumentException("--threads " + threads + " is more than --connections " + connections);
        }
        if (scenarios.isEmpty() && propagation == 0) {
            throw new IllegalArgumentException("--scenarios none and --propagation 0 leave nothing to measure");
        }
        return new Options(seconds, warmup, connections, threads, articles, comments, scenarios, direct, propagation, out);
    }

    /** Whether this is the issue's workload, so the figures compare with its table. */
    boolean isIssueWorkload() {
        return seconds == 20 && warmup == 5 && connections == 64 && threads == 2 && comments == 5
                && (articles == 200 || articles == 10_000);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int positive(String option, String value) {
        return atLeast(1, option, value);
    }

    private static int atLeast(int min, String option, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " " + value + " is not a whole number of at least " + min);
    }

    private static Set<Scenario> scenarios(String list) {
        Set<Scenario> chosen = EnumSet.noneOf(Scenario.class);
        if (list.trim().equalsIgnoreCase("none")) {
            return chosen;
        }
        List<String> unknown = new ArrayList<>();
        for (String name : list.split(",")) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            if (!key.isEmpty()) {
                Scenario.byKey(key).ifPresentOrElse(chosen::add, () -> unknown.add(key));
            }
        }
        if (!unknown.isEmpty() || chosen.isEmpty()) {
            throw new IllegalArgumentException("--scenarios " + list + ": choose from list, article, comments, create, or none");
        }
        return chosen;
    }
}

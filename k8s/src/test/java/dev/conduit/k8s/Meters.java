package dev.conduit.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The platform's own meters (names starting {@code conduit.}) as the Java sources register them, read
 * from the src/main/java of every module that runs in the cluster, named as Prometheus shows them, so that the catalogue in
 * docs/operating.md, which the alerts and the dashboard are held to, is held to the code in turn.
 *
 * <p>It reads Micrometer's builders ({@code Timer.builder(NAME)...register(registry)}): the name is a
 * string literal or a String constant (of the same class, or {@code Class.CONSTANT}); anything else
 * is reported rather than skipped. Labels are the {@code .tag("key", ...)} calls of the chain; where
 * the chain uses {@code .tags(...)} or the meter is a MultiGauge (tags per row), they are not
 * readable here and only the name and type are compared.
 */
final class Meters {

    /** A meter as Prometheus exposes it: base series name, gauge/counter/histogram, labels (null: not readable). */
    record Meter(String series, String type, Set<String> labels, String where) {
    }

    /** The meters read, and what could not be read. */
    record Reading(List<Meter> meters, List<String> problems) {
    }

    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Timer|Counter|Gauge|MultiGauge|TimeGauge|DistributionSummary|FunctionCounter|FunctionTimer|LongTaskTimer)"
                    + "\\.builder\\(\\s*([^,)]+)");
    private static final Pattern CONSTANT = Pattern.compile(
            "\\bstatic\\s+final\\s+String\\s+([A-Z_][A-Z0-9_]*)\\s*=\\s*\"([^\"]*)\"\\s*;");
    private static final Pattern LITERAL = Pattern.compile("^\"([^\"]*)\"$");
    private static final Pattern REFERENCE = Pattern.compile("^(?:([A-Z][A-Za-z0-9]*)\\.)?([A-Z_][A-Z0-9_]*)$");
    private static final Pattern TAG = Pattern.compile("\\.tag\\(\\s*\"([^\"]+)\"");
    private static final Pattern BASE_UNIT = Pattern.compile("\\.baseUnit\\(\\s*\"([^\"]+)\"\\s*\\)");
    /** Micrometer's Prometheus naming gives these their base unit, seconds. */
    private static final Set<String> TIMED = Set.of("Timer", "FunctionTimer", "LongTaskTimer", "TimeGauge");
    private static final Set<String> HISTOGRAMS = Set.of("Timer", "FunctionTimer", "LongTaskTimer", "DistributionSummary");
    private static final Set<String> COUNTERS = Set.of("Counter", "FunctionCounter");

    private Meters() {
    }

    /**
     * Modules that never run in the cluster (the launcher and its test servers, the benchmark, the
     * end-to-end tests, the infrastructure code, these checks): their meters are not the services'.
     */
    static final Set<String> NOT_DEPLOYED = Set.of("local-stack", "bench", "system-tests", "infra", "k8s");

    /** Every .java file under the src/main/java of a module that runs in the cluster, by its path in the repository. */
    static Map<String, String> sources() {
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> modules = Files.list(Kustomize.REPO)) {
            for (Path module : modules.filter(Files::isDirectory)
                    .filter(d -> !NOT_DEPLOYED.contains(d.getFileName().toString())).toList()) {
                Path main = module.resolve("src/main/java");
                if (!Files.isDirectory(main)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(main)) {
                    files.filter(f -> f.toString().endsWith(".java"))
                            .forEach(f -> sources.put(Kustomize.REPO.relativize(f).toString(), ServiceContract.read(f)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sources;
    }

    /** The conduit.* meters of these sources (path -> text). */
    static Reading read(Map<String, String> sources) {
        Map<String, Map<String, String>> constants = new HashMap<>();
        sources.forEach((path, text) -> {
            Map<String, String> own = constants.computeIfAbsent(className(path), k -> new HashMap<>());
            Matcher c = CONSTANT.matcher(text);
            while (c.find()) {
                own.put(c.group(1), c.group(2));
            }
        });
        List<Meter> meters = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        sources.forEach((path, text) -> {
            Matcher b = BUILDER.matcher(text);
            while (b.find()) {
                String kind = b.group(1);
                String argument = b.group(2).strip();
                String where = path + ":" + line(text, b.start());
                String name = name(argument, className(path), constants);
                if (name == null) {
                    problems.add(where + ": " + kind + ".builder(" + argument + "): the name is neither a string literal nor a"
                            + " String constant, so the catalogue cannot be checked against it");
                    continue;
                }
                if (!name.startsWith("conduit.")) {
                    continue;
                }
                int register = text.indexOf(".register(", b.end());
                int statement = text.indexOf(';', b.end());
                String chain = text.substring(b.end(), register >= 0 && register < statement ? register : statement);
                Set<String> labels = null;
                if (!kind.equals("MultiGauge") && !chain.contains(".tags(")) {
                    labels = new TreeSet<>();
                    Matcher t = TAG.matcher(chain);
                    while (t.find()) {
                        labels.add(t.group(1));
                    }
                }
                Matcher unit = BASE_UNIT.matcher(chain);
                String baseUnit = TIMED.contains(kind) ? "seconds" : unit.find() ? unit.group(1) : null;
                String series = name.replace('.', '_');
                if (baseUnit != null && !series.endsWith("_" + baseUnit)) {
                    series += "_" + baseUnit;
                }
                if (COUNTERS.contains(kind) && !series.endsWith("_total")) {
                    series += "_total";
                }
                String type = HISTOGRAMS.contains(kind) ? "histogram" : COUNTERS.contains(kind) ? "counter" : "gauge";
                meters.add(new Meter(series, type, labels, where));
            }
        });
        return new Reading(meters, problems);
    }

    /**
     * The catalogue's conduit_* rows against the meters: each meter listed with its type and (where
     * readable) its labels, and no row for a meter that no code registers.
     */
    static List<String> compare(List<MonitoringChecks.MetricRow> rows, Reading reading) {
        List<String> out = new ArrayList<>(reading.problems());
        Map<String, MonitoringChecks.MetricRow> listed = new LinkedHashMap<>();
        rows.stream().filter(r -> r.name().startsWith("conduit_")).forEach(r -> listed.put(r.name(), r));
        Set<String> registered = new TreeSet<>();
        for (Meter meter : reading.meters()) {
            registered.add(meter.series());
            MonitoringChecks.MetricRow row = listed.get(meter.series());
            if (row == null) {
                out.add(meter.where() + ": registers " + meter.series() + " (" + meter.type()
                        + "), which the catalogue in docs/operating.md does not list");
                continue;
            }
            if (!row.type().equals(meter.type())) {
                out.add(meter.where() + ": " + meter.series() + " is a " + meter.type() + ", docs/operating.md says " + row.type());
            }
            if (meter.labels() != null && !meter.labels().equals(row.labels())) {
                out.add(meter.where() + ": " + meter.series() + " has labels " + meter.labels() + ", docs/operating.md says "
                        + row.labels());
            }
        }
        listed.keySet().stream().filter(name -> !registered.contains(name))
                .forEach(name -> out.add("docs/operating.md lists " + name + ", which no code registers"));
        return out;
    }

    private static String name(String argument, String ownClass, Map<String, Map<String, String>> constants) {
        Matcher literal = LITERAL.matcher(argument);
        if (literal.matches()) {
            return literal.group(1);
        }
        Matcher reference = REFERENCE.matcher(argument);
        if (!reference.matches()) {
            return null;
        }
        String owner = reference.group(1) != null ? reference.group(1) : ownClass;
        return constants.getOrDefault(owner, Map.of()).get(reference.group(2));
    }

    private static String className(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return file.substring(0, file.length() - ".java".length());
    }

    private static int line(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}

package dev.conduit.k8s;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A superficial reading of a PromQL expression, enough to catch what breaks an alert or a panel
 * silently: brackets that do not balance, an unknown function, a range function without a range, a
 * histogram_quantile that does not keep {@code le}, a metric the services do not expose, a label a
 * metric does not have. Not a full parser: precedence and types are Prometheus' business.
 */
final class PromQL {

    /** Functions that take a range vector: {@code rate(x)} without {@code [5m]} is an error in Prometheus. */
    static final Set<String> RANGE_FUNCTIONS = Set.of("rate", "irate", "increase", "delta", "idelta", "deriv",
            "predict_linear", "changes", "resets", "avg_over_time", "min_over_time", "max_over_time", "sum_over_time",
            "count_over_time", "last_over_time", "quantile_over_time", "stddev_over_time", "stdvar_over_time",
            "present_over_time", "absent_over_time", "holt_winters", "double_exponential_smoothing");
    static final Set<String> FUNCTIONS = union(RANGE_FUNCTIONS, Set.of("abs", "absent", "ceil", "floor", "round",
            "clamp", "clamp_min", "clamp_max", "exp", "ln", "log2", "log10", "sqrt", "sgn", "histogram_quantile",
            "histogram_fraction", "label_replace", "label_join", "sort", "sort_desc", "sort_by_label", "sort_by_label_desc",
            "time", "timestamp", "vector", "scalar", "minute", "hour", "day_of_week", "day_of_month", "day_of_year",
            "days_in_month", "month", "year"));
    static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
            "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    /** Keywords followed by a list of label names in parentheses. */
    static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    static final Set<String> KEYWORDS = union(LABEL_LISTS, Set.of("and", "or", "unless", "offset", "bool", "inf", "nan", "atan2"));

    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(?:(?<string>\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`)"
                    + "|(?<number>(?:\\d+(?:ms|s|m|h|d|w|y))+|0x[0-9a-fA-F]+|\\d*\\.?\\d+(?:[eE][+-]?\\d+)?)"
                    + "|(?<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)"
                    + "|(?<op>=~|!~|==|!=|<=|>=|[-+*/%^<>=,:@])"
                    + "|(?<bracket>[(){}\\[\\]]))");

    record Token(String kind, String text) {
    }

    /** A label matcher as written: {@code metric{label op "value"}} (metric null inside a bare {@code {...}}). */
    record Matcher(String metric, String label, String op, String value) {
    }

    /** What an expression uses, and what is wrong with it. */
    record Reading(Set<String> metrics, Set<String> groupingLabels, List<Matcher> matchers, List<String> problems) {
    }

    private PromQL() {
    }

    static List<Token> tokens(String expr, List<String> problems) {
        List<Token> tokens = new ArrayList<>();
        java.util.regex.Matcher m = TOKEN.matcher(expr);
        int at = 0;
        while (at < expr.length()) {
            if (expr.substring(at).isBlank()) {
                break;
            }
            if (!m.find(at) || m.start() != at) {
                problems.add("cannot read '" + expr.substring(at, Math.min(expr.length(), at + 20)).strip() + "'");
                return tokens;
            }
            for (String kind : List.of("string", "number", "ident", "op", "bracket")) {
                if (m.group(kind) != null) {
                    tokens.add(new Token(kind, m.group(kind)));
                    break;
                }
            }
            at = m.end();
        }
        return tokens;
    }

    /**
     * Reads {@code expr}: its metric names, the labels it groups or matches by, and its problems
     * against {@code catalogue} (metric name to its labels) plus labels every scraped series has.
     */
    static Reading read(String expr, Map<String, Set<String>> catalogue, Set<String> targetLabels) {
        List<String> problems = new ArrayList<>();
        List<Token> t = tokens(expr, problems);
        Set<String> metrics = new LinkedHashSet<>();
        Set<String> grouping = new LinkedHashSet<>();
        List<Matcher> matchers = new ArrayList<>();
        balance(t, problems);
        if (!problems.isEmpty()) {
            return new Reading(metrics, grouping, matchers, problems);
        }
        if (t.isEmpty()) {
            problems.add("empty expression");
        }
        Set<String> allLabels = new LinkedHashSet<>(targetLabels);
        catalogue.values().forEach(allLabels::addAll);
        for (int i = 0; i < t.size(); i++) {
            Token tok = t.get(i);
            Token next = i + 1 < t.size() ? t.get(i + 1) : null;
            if (tok.kind().equals("bracket") && tok.text().equals("[")) {
                i = close(t, i);
                continue;
            }
            if (tok.kind().equals("bracket") && tok.text().equals("{")) {
                // a selector without a metric name: {label="value"}
                int end = close(t, i);
                readMatchers(null, t, i + 1, end, null, targetLabels, matchers, problems);
                i = end;
                continue;
            }
            if (!tok.kind().equals("ident")) {
                continue;
            }
            String name = tok.text();
            boolean call = next != null && next.text().equals("(");
            if (LABEL_LISTS.contains(name)) {
                if (call) {
                    int end = close(t, i + 1);
                    for (int j = i + 2; j < end; j++) {
                        Token label = t.get(j);
                        if (label.kind().equals("ident")) {
                            grouping.add(label.text());
                            if (!allLabels.contains(label.text())) {
                                problems.add(name + " (" + label.text() + "): no metric here has a label " + label.text());
                            }
                        } else if (!label.text().equals(",")) {
                            problems.add(name + " (...) holds '" + label.text() + "', not a label name");
                        }
                    }
                    i = end;
                } else if (!name.startsWith("group_")) {
                    problems.add("'" + name + "' without a label list");
                }
                continue;
            }
            if (KEYWORDS.contains(name.toLowerCase())) {
                continue;
            }
            if (AGGREGATIONS.contains(name) && next != null && Set.of("by", "without").contains(next.text())) {
                // sum by (job) (x): the label list comes first, read on the next token
                continue;
            }
            if (call) {
                if (!FUNCTIONS.contains(name) && !AGGREGATIONS.contains(name)) {
                    problems.add("unknown function " + name + "()");
                    continue;
                }
                int end = close(t, i + 1);
                if (RANGE_FUNCTIONS.contains(name) && !hasRange(t, i + 1, end)) {
                    problems.add(name + "() needs a range vector, such as x[5m]");
                }
                if (name.equals("histogram_quantile") && !histogramKeepsLe(t, i + 1, end)) {
                    problems.add("histogram_quantile() over something other than a _bucket series kept by le");
                }
                continue;
            }
            // what is left is a metric name, with or without its selector
            metrics.add(name);
            Set<String> labels = catalogue.get(name);
            if (labels == null) {
                problems.add("unknown metric " + name);
            }
            if (next != null && next.text().equals("{")) {
                int end = close(t, i + 1);
                readMatchers(name, t, i + 2, end, labels, targetLabels, matchers, problems);
                i = end;
            }
        }
        return new Reading(metrics, grouping, matchers, problems);
    }

    private static void readMatchers(String metric, List<Token> t, int from, int to, Set<String> labels,
                                     Set<String> targetLabels, List<Matcher> out, List<String> problems) {
        int i = from;
        while (i < to) {
            Token label = t.get(i);
            Token op = i + 1 < to ? t.get(i + 1) : null;
            Token value = i + 2 < to ? t.get(i + 2) : null;
            if (!label.kind().equals("ident") || op == null || !Set.of("=", "!=", "=~", "!~").contains(op.text())
                    || value == null || !value.kind().equals("string")) {
                problems.add("malformed label matcher in " + (metric == null ? "{...}" : metric + "{...}") + " at '" + label.text() + "'");
                return;
            }
            String name = label.text();
            if (labels != null && !labels.contains(name) && !targetLabels.contains(name) && !name.equals("__name__")) {
                problems.add(metric + " has no label " + name + " (it has " + labels + " and the scrape's " + targetLabels + ")");
            }
            String text = value.text();
            out.add(new Matcher(metric, name, op.text(), text.substring(1, text.length() - 1)));
            i += 3;
            if (i < to && t.get(i).text().equals(",")) {
                i++;
            }
        }
    }

    private static boolean hasRange(List<Token> t, int open, int close) {
        int depth = 0;
        for (int i = open + 1; i < close; i++) {
            String s = t.get(i).text();
            if (s.equals("(")) {
                depth++;
            } else if (s.equals(")")) {
                depth--;
            } else if (s.equals("[") && depth == 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean histogramKeepsLe(List<Token> t, int open, int close) {
        boolean bucket = false;
        boolean le = false;
        for (int i = open + 1; i < close; i++) {
            Token tok = t.get(i);
            if (tok.kind().equals("ident") && tok.text().endsWith("_bucket")) {
                bucket = true;
            }
            if (tok.kind().equals("ident") && tok.text().equals("le")) {
                le = true;
            }
        }
        return bucket && le;
    }

    /** Brackets pair up: ( with ), { with }, [ with ]. */
    private static void balance(List<Token> t, List<String> problems) {
        Deque<String> open = new ArrayDeque<>();
        for (Token tok : t) {
            if (!tok.kind().equals("bracket")) {
                continue;
            }
            String b = tok.text();
            switch (b) {
                case "(", "{", "[" -> open.push(b);
                default -> {
                    String expected = b.equals(")") ? "(" : b.equals("}") ? "{" : "[";
                    if (open.isEmpty() || !open.pop().equals(expected)) {
                        problems.add("unbalanced '" + b + "'");
                        return;
                    }
                }
            }
        }
        if (!open.isEmpty()) {
            problems.add("unclosed '" + open.peek() + "'");
        }
    }

    /** The index of the bracket that closes the one at {@code open}. */
    private static int close(List<Token> t, int open) {
        int depth = 0;
        for (int i = open; i < t.size(); i++) {
            String s = t.get(i).text();
            if (s.equals("(") || s.equals("{") || s.equals("[")) {
                depth++;
            } else if (s.equals(")") || s.equals("}") || s.equals("]")) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return t.size() - 1;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new LinkedHashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }

    /** A Prometheus duration (1h30m, 5m, 90s) in seconds; -1 if it is none. */
    static long seconds(String duration) {
        if (duration == null || !duration.matches("(\\d+(ms|s|m|h|d|w|y))+")) {
            return -1;
        }
        long total = 0;
        java.util.regex.Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)").matcher(duration);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "ms" -> 0;
                case "s" -> n;
                case "m" -> n * 60;
                case "h" -> n * 3600;
                case "d" -> n * 86400;
                case "w" -> n * 7 * 86400;
                default -> n * 365 * 86400;
            };
        }
        return total;
    }
}

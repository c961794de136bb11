package dev.conduit.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.k8s.Manifests.Manifest;
import dev.conduit.k8s.Manifests.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.PodMetricsEndpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.conduit.k8s.Policies.list;

/**
 * The monitoring component as rendered: the PodMonitor scrapes every service's management port, each
 * alert parses, uses only metrics the services expose (the catalogue in docs/operating.md) and has a
 * severity, a summary, a description and a runbook section in that page; the Grafana dashboard parses
 * and each panel's query does too.
 */
final class MonitoringChecks {

    static final Path OPERATING = Kustomize.REPO.resolve("docs/operating.md");
    /** Where the runbook is published; an alert's runbook_url is this plus its section's anchor. */
    static final String RUNBOOK = "https://github.com/conduit-platform/conduit/blob/main/docs/operating.md#";
    static final String METRICS_PATH = "/q/metrics";
    static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    /** Shorter than this, one slow scrape or one pod replaced in a rollout fires the alert. */
    static final long MIN_FOR_SECONDS = 60;
    /** Labels Prometheus gives every series of a pod target (plus the PodMonitor's podTargetLabels). */
    static final Set<String> SCRAPE_LABELS = Set.of("namespace", "pod", "container", "endpoint", "instance", "job");
    /** The dashboards sidecar's label. */
    static final String DASHBOARD_LABEL = "grafana_dashboard";
    /**
     * What the issue asks to watch. Alerts: 5xx ratio and p99 (requests), consumer lag, dead letters,
     * outbox age, breaker. Dashboard: those plus the outbox backlog, event age when applied, JVM memory.
     */
    static final Set<String> ALERTED = Set.of("http_server_requests_seconds_count", "http_server_requests_seconds_bucket",
            "conduit_consumer_lag", "conduit_events_dead_lettered_total", "conduit_outbox_oldest_age_seconds",
            "conduit_gateway_breaker_open");
    static final Set<String> CHARTED = Set.of("http_server_requests_seconds_count", "http_server_requests_seconds_bucket",
            "conduit_outbox_pending", "conduit_outbox_oldest_age_seconds", "conduit_consumer_lag",
            "conduit_events_dead_lettered_total", "conduit_event_apply_age_seconds_bucket", "conduit_gateway_breaker_open",
            "jvm_memory_used_bytes");

    private static final Pattern METRIC_ROW = Pattern.compile(
            "^\\|\\s*`([a-z_:][a-z0-9_:]*)`\\s*\\|\\s*(gauge|counter|histogram)\\s*\\|([^|]*)\\|");
    private static final Pattern BACKTICKED = Pattern.compile("`([a-z_][a-z0-9_]*)`");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern LABEL_REFERENCE = Pattern.compile("\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{?([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-z]+)?}?");
    private static final Pattern ALERT_NAME = Pattern.compile("^[A-Z][A-Za-z0-9]+$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private MonitoringChecks() {
    }

    // ---- the catalogue and the runbook --------------------------------------------------------

    /** One row of the metric table in docs/operating.md: name, gauge/counter/histogram, labels. */
    record MetricRow(String name, String type, Set<String> labels) {
    }

    static List<MetricRow> metricRows(String doc) {
        List<MetricRow> rows = new ArrayList<>();
        for (String line : doc.split("\n")) {
            Matcher m = METRIC_ROW.matcher(line.strip());
            if (!m.find()) {
                continue;
            }
            Set<String> labels = new TreeSet<>();
            Matcher l = BACKTICKED.matcher(m.group(3));
            while (l.find()) {
                labels.add(l.group(1));
            }
            rows.add(new MetricRow(m.group(1), m.group(2), labels));
        }
        return rows;
    }

    /**
     * Every series name the services expose, with its labels: the table under "Metrics" in
     * docs/operating.md, a histogram expanded to its _bucket (with le), _count, _sum and _max.
     */
    static Map<String, Set<String>> catalogue(String doc) {
        Map<String, Set<String>> series = new LinkedHashMap<>();
        for (MetricRow row : metricRows(doc)) {
            String name = row.name();
            Set<String> labels = row.labels();
            if (row.type().equals("histogram")) {
                Set<String> bucket = new TreeSet<>(labels);
                bucket.add("le");
                series.put(name + "_bucket", bucket);
                series.put(name + "_count", labels);
                series.put(name + "_sum", labels);
                series.put(name + "_max", labels);
            } else {
                series.put(name, labels);
            }
        }
        if (series.isEmpty()) {
            throw new IllegalStateException(OPERATING + " has no metric table (| `metric` | gauge/counter/histogram | labels | ... |)");
        }
        return series;
    }

    /** The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces to hyphens. */
    static Set<String> anchors(String doc) {
        Set<String> anchors = new LinkedHashSet<>();
        boolean fenced = false;
        for (String line : doc.split("\n")) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (!fenced && m.matches()) {
                anchors.add(m.group(1).toLowerCase(Locale.ROOT).replace("`", "")
                        .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    /** The section under a heading, up to the next heading of its level or above. */
    static String section(String doc, String anchor) {
        StringBuilder out = new StringBuilder();
        boolean in = false;
        int level = 0;
        for (String line : doc.split("\n")) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                int l = line.indexOf(' ');
                if (in && l <= level) {
                    break;
                }
                if (anchors(line).contains(anchor)) {
                    in = true;
                    level = l;
                    continue;
                }
            }
            if (in) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    static String operatingDoc() {
        return ServiceContract.read(OPERATING);
    }

    // ---- scraping -----------------------------------------------------------------------------

    /** Labels every scraped series carries: Prometheus' own and the PodMonitors' podTargetLabels. */
    static Set<String> targetLabels(Manifests m) {
        Set<String> labels = new TreeSet<>(SCRAPE_LABELS);
        m.of(PodMonitor.class).forEach(pm -> labels.addAll(list(pm.getSpec().getPodTargetLabels())));
        return labels;
    }

    /**
     * Each PodMonitor selects pods that exist, through a port every one of them has, which is the
     * management port, on /q/metrics; together they scrape every service of the k8s/README.md table.
     * The job label it takes from the pods exists on each of them.
     */
    static List<String> podMonitors(Manifests m, List<String> services) {
        List<String> out = new ArrayList<>();
        Set<String> scraped = new HashSet<>();
        for (PodMonitor pm : m.of(PodMonitor.class)) {
            String id = Manifest.id(pm);
            List<Workload> pods = m.workloads().stream().filter(Workload::serving)
                    .filter(w -> Labels.selects(pm.getSpec().getSelector(), Policies.labels(w.template().getMetadata())))
                    .toList();
            if (Labels.isEmpty(pm.getSpec().getSelector()) || pods.isEmpty()) {
                out.add(id + ": selector " + Policies.describe(pm.getSpec().getSelector()) + " matches no pod template");
                continue;
            }
            if (pm.getSpec().getNamespaceSelector() != null) {
                out.add(id + ": namespaceSelector set; the PodMonitor watches its own namespace only");
            }
            String jobLabel = pm.getSpec().getJobLabel();
            List<PodMetricsEndpoint> endpoints = list(pm.getSpec().getPodMetricsEndpoints());
            if (endpoints.isEmpty()) {
                out.add(id + ": no podMetricsEndpoints");
            }
            for (Workload w : pods) {
                Map<String, String> labels = Policies.labels(w.template().getMetadata());
                if (jobLabel != null && !labels.containsKey(jobLabel)) {
                    out.add(id + ": jobLabel " + jobLabel + " is not a label of " + w.id() + "'s pods");
                }
                for (String l : list(pm.getSpec().getPodTargetLabels())) {
                    if (!labels.containsKey(l)) {
                        out.add(id + ": podTargetLabels " + l + " is not a label of " + w.id() + "'s pods");
                    }
                }
                for (PodMetricsEndpoint e : endpoints) {
                    Optional<ContainerPort> port = w.template().getSpec().getContainers().stream()
                            .flatMap(c -> list(c.getPorts()).stream())
                            .filter(p -> e.getPort() != null && e.getPort().equals(p.getName())).findFirst();
                    if (e.getPort() == null) {
                        out.add(id + ": an endpoint names no port (by name, as the pods declare it)");
                    } else if (port.isEmpty()) {
                        out.add(id + ": port " + e.getPort() + " is not a container port of " + w.id());
                    } else if (!QuarkusChecks.MANAGEMENT.equals(port.get().getName())) {
                        out.add(id + ": scrapes port " + e.getPort() + " of " + w.id() + "; metrics are on port "
                                + QuarkusChecks.MANAGEMENT + " only");
                    } else {
                        scraped.add(w.name());
                    }
                }
            }
            for (PodMetricsEndpoint e : endpoints) {
                if (!METRICS_PATH.equals(e.getPath())) {
                    out.add(id + ": path " + e.getPath() + "; Quarkus serves metrics at " + METRICS_PATH);
                }
                long interval = PromQL.seconds(e.getInterval());
                long timeout = e.getScrapeTimeout() == null ? 10 : PromQL.seconds(e.getScrapeTimeout());
                if (interval < 10 || interval > 120) {
                    out.add(id + ": interval " + e.getInterval() + " (10s to 2m)");
                } else if (timeout <= 0 || timeout > interval) {
                    out.add(id + ": scrapeTimeout " + e.getScrapeTimeout() + " longer than its interval " + e.getInterval());
                }
            }
        }
        if (!m.of(PodMonitor.class).isEmpty() || !m.of(PrometheusRule.class).isEmpty()) {
            services.stream().filter(s -> !scraped.contains(s)).sorted()
                    .forEach(s -> out.add("Deployment " + s + ": no PodMonitor scrapes its management port"));
        }
        return out;
    }

    // ---- tracing ------------------------------------------------------------------------------

    /** components/otel-collector's Deployment and Service. */
    static final String COLLECTOR = "otel-collector";

    /**
     * Where components/otel-collector runs, every service traces: its container ends up with
     * CONDUIT_TRACING=true (an env entry wins over its ConfigMap's "false"), the one switch that turns
     * on the SDK and the Kafka connector's trace headers together. Where the endpoint points is
     * ServiceChecks' (it names a Service of the namespace with that port).
     */
    static List<String> tracing(Manifests m, List<String> services) {
        List<String> out = new ArrayList<>();
        if (m.find(Deployment.class, COLLECTOR).isEmpty()) {
            return out;
        }
        for (String service : services) {
            // a missing Deployment or container is ServiceChecks.configuration's to report
            m.find(Deployment.class, service).stream()
                    .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                    .filter(c -> c.getName().equals(service))
                    .forEach(c -> {
                        ServiceChecks.Value value = ServiceChecks.environment(m, c).get(ServiceChecks.TRACING);
                        if (value == null || !"true".equals(value.literal())) {
                            out.add("Deployment " + service + ": " + ServiceChecks.TRACING + "="
                                    + (value == null ? "(unset)" : value.literal()) + " beside the " + COLLECTOR
                                    + "; the component sets it to \"true\"");
                        }
                    });
        }
        return out;
    }

    // ---- alerts -------------------------------------------------------------------------------

    /** Every alert of every PrometheusRule, checked against the catalogue and the runbook. */
    static List<String> alerts(Manifests m, String doc) {
        List<String> out = new ArrayList<>();
        Map<String, Set<String>> catalogue = catalogue(doc);
        Set<String> targetLabels = targetLabels(m);
        Set<String> anchors = anchors(doc);
        Set<String> jobs = jobs(m);
        Set<String> names = new HashSet<>();
        Set<String> used = new HashSet<>();
        for (PrometheusRule rule : m.of(PrometheusRule.class)) {
            String id = Manifest.id(rule);
            Set<String> groups = new HashSet<>();
            for (RuleGroup group : list(rule.getSpec().getGroups())) {
                if (!groups.add(group.getName())) {
                    out.add(id + ": group " + group.getName() + " appears twice");
                }
                for (Rule r : list(group.getRules())) {
                    String name = r.getAlert() != null ? r.getAlert() : r.getRecord();
                    String where = id + " " + (r.getAlert() != null ? "alert " : "record ") + name;
                    if (r.getAlert() == null && r.getRecord() == null || r.getAlert() != null && r.getRecord() != null) {
                        out.add(id + " group " + group.getName() + ": a rule is either an alert or a record");
                        continue;
                    }
                    String expr = r.getExpr() == null ? "" : r.getExpr().getStrVal() != null ? r.getExpr().getStrVal()
                            : String.valueOf(r.getExpr().getIntVal());
                    PromQL.Reading reading = PromQL.read(expr, catalogue, targetLabels);
                    reading.problems().forEach(p -> out.add(where + ": expr: " + p));
                    used.addAll(reading.metrics());
                    jobMatchers(reading, jobs).forEach(p -> out.add(where + ": expr: " + p));
                    if (r.getRecord() != null) {
                        continue;
                    }
                    if (!ALERT_NAME.matcher(name).matches()) {
                        out.add(where + ": an alert's name is CamelCase");
                    }
                    if (!names.add(name)) {
                        out.add(where + ": two alerts of this name");
                    }
                    out.addAll(alert(where, name, r, doc, anchors, targetLabels, catalogue));
                }
            }
        }
        if (!m.of(PrometheusRule.class).isEmpty()) {
            ALERTED.stream().filter(metric -> !used.contains(metric)).sorted()
                    .forEach(metric -> out.add("no alert watches " + metric));
        }
        return out;
    }

    private static List<String> alert(String where, String name, Rule r, String doc, Set<String> anchors,
                                      Set<String> targetLabels, Map<String, Set<String>> catalogue) {
        List<String> out = new ArrayList<>();
        Map<String, String> labels = r.getLabels() == null ? Map.of() : r.getLabels();
        String severity = labels.get("severity");
        if (severity == null || !SEVERITIES.contains(severity)) {
            out.add(where + ": label severity is " + severity + ", not one of " + new TreeSet<>(SEVERITIES));
        }
        long forSeconds = PromQL.seconds(r.getFor());
        if (forSeconds < MIN_FOR_SECONDS) {
            out.add(where + ": for: " + r.getFor() + "; at least " + MIN_FOR_SECONDS + " s, or one slow scrape pages someone");
        }
        Map<String, String> annotations = r.getAnnotations() == null ? Map.of() : r.getAnnotations();
        for (String key : List.of("summary", "description", "runbook_url")) {
            if (annotations.get(key) == null || annotations.get(key).isBlank()) {
                out.add(where + ": no annotation " + key);
            }
        }
        String runbook = annotations.getOrDefault("runbook_url", "");
        String anchor = name.toLowerCase(Locale.ROOT);
        if (!runbook.isBlank() && !runbook.equals(RUNBOOK + anchor)) {
            out.add(where + ": runbook_url " + runbook + " is not " + RUNBOOK + anchor);
        }
        if (!anchors.contains(anchor)) {
            out.add(where + ": docs/operating.md has no section `### " + name + "` (the runbook_url's anchor #" + anchor + ")");
        } else {
            String text = section(doc, anchor);
            for (String part : List.of("**Means:**", "**Check:**", "**Do:**")) {
                if (!text.contains(part)) {
                    out.add(where + ": its section in docs/operating.md lacks " + part);
                }
            }
        }
        Set<String> known = new HashSet<>(targetLabels);
        catalogue.values().forEach(known::addAll);
        for (String text : annotations.values()) {
            Matcher m = LABEL_REFERENCE.matcher(text);
            while (m.find()) {
                if (!known.contains(m.group(1))) {
                    out.add(where + ": an annotation uses $labels." + m.group(1) + ", which no series has");
                }
            }
        }
        return out;
    }

    /** The values a job label can take: the jobLabel of each PodMonitor, read off the pods it selects. */
    static Set<String> jobs(Manifests m) {
        Set<String> jobs = new TreeSet<>();
        for (PodMonitor pm : m.of(PodMonitor.class)) {
            String jobLabel = pm.getSpec().getJobLabel();
            for (Workload w : m.workloads()) {
                Map<String, String> labels = Policies.labels(w.template().getMetadata());
                if (jobLabel != null && Labels.selects(pm.getSpec().getSelector(), labels) && labels.containsKey(jobLabel)) {
                    jobs.add(labels.get(jobLabel));
                }
            }
        }
        return jobs;
    }

    /** A job="x" or job=~"x|y" matcher names jobs the PodMonitors produce (a typo matches nothing, silently). */
    private static List<String> jobMatchers(PromQL.Reading reading, Set<String> jobs) {
        List<String> out = new ArrayList<>();
        for (PromQL.Matcher matcher : reading.matchers()) {
            if (!matcher.label().equals("job") || jobs.isEmpty()) {
                continue;
            }
            List<String> values = switch (matcher.op()) {
                case "=" -> List.of(matcher.value());
                case "=~" -> matcher.value().matches("[a-z0-9|-]+") ? List.of(matcher.value().split("\\|")) : List.of();
                default -> List.of();
            };
            values.stream().filter(v -> !jobs.contains(v))
                    .forEach(v -> out.add("job \"" + v + "\" is no scraped job (" + jobs + ")"));
        }
        return out;
    }

    // ---- dashboards ---------------------------------------------------------------------------

    /** Every ConfigMap for the dashboards sidecar: JSON dashboards whose panels query known metrics. */
    static List<String> dashboards(Manifests m, String doc) {
        List<String> out = new ArrayList<>();
        Map<String, Set<String>> catalogue = catalogue(doc);
        Set<String> targetLabels = targetLabels(m);
        Set<String> jobs = jobs(m);
        for (ConfigMap cm : m.of(ConfigMap.class)) {
            if (!"1".equals(Policies.labels(cm.getMetadata()).get(DASHBOARD_LABEL))) {
                continue;
            }
            String id = Manifest.id(cm);
            if (cm.getData() == null || cm.getData().isEmpty()) {
                out.add(id + ": labelled " + DASHBOARD_LABEL + " but holds no dashboard");
                continue;
            }
            cm.getData().forEach((key, json) -> out.addAll(dashboard(id + " " + key, key, json, catalogue, targetLabels, jobs)));
        }
        return out;
    }

    static List<String> dashboard(String where, String key, String json, Map<String, Set<String>> catalogue,
                                  Set<String> targetLabels, Set<String> jobs) {
        List<String> out = new ArrayList<>();
        if (!key.endsWith(".json")) {
            out.add(where + ": the sidecar loads *.json keys only");
        }
        JsonNode d;
        try {
            d = JSON.readTree(json);
        } catch (Exception e) {
            out.add(where + ": not JSON: " + e.getMessage());
            return out;
        }
        for (String field : List.of("uid", "title")) {
            if (d.path(field).asText("").isBlank()) {
                out.add(where + ": no " + field);
            }
        }
        Set<String> variables = new HashSet<>(Set.of("__rate_interval", "__interval", "__range"));
        d.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        List<JsonNode> panels = new ArrayList<>();
        d.path("panels").forEach(p -> {
            panels.add(p);
            p.path("panels").forEach(panels::add);
        });
        if (panels.isEmpty()) {
            out.add(where + ": no panels");
        }
        Set<Integer> ids = new HashSet<>();
        Set<String> used = new HashSet<>();
        for (JsonNode p : panels) {
            String panel = where + " panel '" + p.path("title").asText("<untitled>") + "'";
            if (!ids.add(p.path("id").asInt(-1))) {
                out.add(panel + ": id " + p.path("id") + " missing or used twice");
            }
            if (p.path("title").asText("").isBlank()) {
                out.add(panel + ": no title");
            }
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            if (!p.path("targets").isArray() || p.path("targets").isEmpty()) {
                out.add(panel + ": no query");
                continue;
            }
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText("");
                Matcher v = GRAFANA_VARIABLE.matcher(expr);
                while (v.find()) {
                    if (!variables.contains(v.group(1))) {
                        out.add(panel + ": uses $" + v.group(1) + ", which the dashboard does not define");
                    }
                }
                String uid = t.path("datasource").path("uid").asText(p.path("datasource").path("uid").asText(""));
                Matcher dv = GRAFANA_VARIABLE.matcher(uid);
                if (uid.isBlank() || dv.matches() && !variables.contains(dv.group(1))) {
                    out.add(panel + ": data source '" + uid + "' is neither set nor a variable of the dashboard");
                }
                PromQL.Reading reading = PromQL.read(substitute(expr), catalogue, targetLabels);
                reading.problems().forEach(problem -> out.add(panel + " query " + t.path("refId").asText() + ": " + problem));
                jobMatchers(reading, jobs).forEach(problem -> out.add(panel + " query " + t.path("refId").asText() + ": " + problem));
                used.addAll(reading.metrics());
            }
        }
        CHARTED.stream().filter(metric -> !used.contains(metric)).sorted()
                .forEach(metric -> out.add(where + ": no panel shows " + metric));
        return out;
    }

    /** Grafana's variables replaced by a value of their kind, so that the query reads as PromQL. */
    static String substitute(String expr) {
        return expr.replaceAll("\\$\\{?__(rate_interval|interval|range)}?", "5m")
                .replaceAll("\\$\\{?[a-zA-Z_][a-zA-Z0-9_]*(?::[a-z]+)?}?", "x");
    }
}

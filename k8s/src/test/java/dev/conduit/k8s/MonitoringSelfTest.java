package dev.conduit.k8s;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The monitoring checks catch what they claim to: each test breaks one thing (in the rendered
 * prod-observability overlay, or in one expression) and expects a violation that names it.
 */
class MonitoringSelfTest {

    static final String TARGET = "overlays/prod-observability";
    private static final String DOC = MonitoringChecks.operatingDoc();
    private static final Map<String, Set<String>> CATALOGUE = MonitoringChecks.catalogue(DOC);
    private static final Set<String> SCRAPE = Set.of("namespace", "pod", "job", "instance", "app");

    // ---- PromQL -------------------------------------------------------------------------------

    @Test
    void theAlertsOfThisRepositoryReadCleanly() {
        assertEquals(List.of(), problems("sum by (job, le) (rate(http_server_requests_seconds_bucket{status=~\"5..\"}[5m]))"));
        assertEquals(List.of(), problems("histogram_quantile(0.99, sum by (le) (rate(conduit_event_apply_age_seconds_bucket[5m]))) > 0.1"));
        assertEquals(List.of(), problems("conduit_events_dead_lettered_total unless conduit_events_dead_lettered_total offset 30m"));
        assertEquals(List.of(), problems("a_b_c", Map.of("a_b_c", Set.of())));
    }

    @Test
    void unbalancedBracketsAreFound() {
        expect(problems("sum(rate(conduit_gateway_rate_limit_refused_total[5m])"), "unclosed '('");
        expect(problems("max(conduit_consumer_lag{group=\"x\")"), "unbalanced ')'");
        expect(problems("rate(conduit_gateway_rate_limit_refused_total[5m)"), "unbalanced ')'");
    }

    @Test
    void unknownFunctionIsFound() {
        expect(problems("rates(conduit_gateway_rate_limit_refused_total[5m])"), "unknown function rates()");
    }

    @Test
    void rangeFunctionWithoutARangeIsFound() {
        expect(problems("rate(conduit_gateway_rate_limit_refused_total)"), "rate() needs a range vector");
    }

    @Test
    void histogramQuantileThatDropsLeIsFound() {
        expect(problems("histogram_quantile(0.99, sum by (job) (rate(http_server_requests_seconds_bucket[5m])))"),
                "histogram_quantile() over something other than a _bucket series kept by le");
    }

    @Test
    void unknownMetricAndLabelAreFound() {
        expect(problems("conduit_outbox_oldest_age_second > 60"), "unknown metric conduit_outbox_oldest_age_second");
        expect(problems("conduit_consumer_lag{collection=\"users\"}"), "conduit_consumer_lag has no label collection");
        expect(problems("sum by (topics) (conduit_consumer_lag)"), "by (topics): no metric here has a label topics");
        // a histogram's bare name is not a series
        expect(problems("conduit_outbox_send_seconds"), "unknown metric conduit_outbox_send_seconds");
    }

    @Test
    void malformedMatcherIsFound() {
        expect(problems("up{job=gateway}"), "malformed label matcher in up{...}");
    }

    // ---- alerts -------------------------------------------------------------------------------

    @Test
    void alertWithAnUnknownMetricIsFound() {
        Manifests m = rule(0, 0, r -> r.put("expr", "max by (job) (conduit_outbox_age_seconds) > 60"));
        expect(MonitoringChecks.alerts(m, DOC), "alert ConduitGateway5xxRatioHigh", "unknown metric conduit_outbox_age_seconds");
    }

    @Test
    void alertWithoutRunbookOrSeverityIsFound() {
        Manifests m = rule(2, 0, r -> {
            ((ObjectNode) r.get("annotations")).remove("runbook_url");
            ((ObjectNode) r.get("labels")).remove("severity");
        });
        List<String> v = MonitoringChecks.alerts(m, DOC);
        expect(v, "alert ConduitBreakerOpen", "no annotation runbook_url");
        expect(v, "alert ConduitBreakerOpen", "label severity is null");
    }

    @Test
    void runbookThatPointsAtAnotherSectionIsFound() {
        Manifests m = rule(2, 0, r -> ((ObjectNode) r.get("annotations")).put("runbook_url", MonitoringChecks.RUNBOOK + "conduitdeadletters"));
        expect(MonitoringChecks.alerts(m, DOC), "alert ConduitBreakerOpen", "is not " + MonitoringChecks.RUNBOOK + "conduitbreakeropen");
    }

    @Test
    void alertWithoutASectionInTheRunbookIsFound() {
        Manifests m = rule(2, 0, r -> {
            r.put("alert", "ConduitBreakerStuck");
            ((ObjectNode) r.get("annotations")).put("runbook_url", MonitoringChecks.RUNBOOK + "conduitbreakerstuck");
        });
        expect(MonitoringChecks.alerts(m, DOC), "alert ConduitBreakerStuck", "docs/operating.md has no section `### ConduitBreakerStuck`");
    }

    @Test
    void runbookSectionWithoutWhatToDoIsFound() {
        String doc = DOC.replace("**Do:** make the service answer again", "make the service answer again");
        expect(MonitoringChecks.alerts(Kustomize.manifests(TARGET), doc), "alert ConduitBreakerOpen", "lacks **Do:**");
    }

    @Test
    void alertThatWouldFlapIsFound() {
        Manifests m = rule(0, 0, r -> r.put("for", "30s"));
        expect(MonitoringChecks.alerts(m, DOC), "alert ConduitGateway5xxRatioHigh", "for: 30s");
    }

    @Test
    void misspeltJobIsFound() {
        Manifests m = rule(0, 0, r -> r.put("expr", "sum(rate(http_server_requests_seconds_count{job=\"gatway\"}[5m])) > 1"));
        expect(MonitoringChecks.alerts(m, DOC), "alert ConduitGateway5xxRatioHigh", "job \"gatway\" is no scraped job");
    }

    @Test
    void annotationWithALabelNoSeriesHasIsFound() {
        Manifests m = rule(2, 0, r -> ((ObjectNode) r.get("annotations")).put("summary", "{{ $labels.servce }} is open"));
        expect(MonitoringChecks.alerts(m, DOC), "alert ConduitBreakerOpen", "$labels.servce");
    }

    @Test
    void missingAlertOnAWatchedMetricIsFound() {
        Manifests m = CheckerSelfTest.edit(TARGET, "PrometheusRule", "conduit", p -> {
            ArrayNode groups = (ArrayNode) p.at("/spec/groups");
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i).path("name").asText().equals("conduit.gateway")) {
                    groups.remove(i);
                    break;
                }
            }
        });
        expect(MonitoringChecks.alerts(m, DOC), "no alert watches", "conduit_gateway_breaker_open");
    }

    @Test
    void misspeltRuleFieldIsFoundByTheStrictModel() {
        Manifests m = rule(0, 0, r -> r.set("annotation", r.remove("annotations")));
        expect(m.problems, "PrometheusRule conduit/conduit", "unknown field [spec.groups[0].rules[0].annotation]");
    }

    // ---- PodMonitor ---------------------------------------------------------------------------

    @Test
    void podMonitorOnThePublicPortIsFound() {
        Manifests m = podMonitor(p -> ((ObjectNode) p.at("/spec/podMetricsEndpoints/0")).put("port", "http"));
        expect(MonitoringChecks.podMonitors(m, ServiceContract.services()), "PodMonitor conduit/conduit",
                "metrics are on port management only");
    }

    @Test
    void podMonitorOnAPortNoPodHasIsFound() {
        Manifests m = podMonitor(p -> ((ObjectNode) p.at("/spec/podMetricsEndpoints/0")).put("port", "metrics"));
        expect(MonitoringChecks.podMonitors(m, ServiceContract.services()), "PodMonitor conduit/conduit",
                "port metrics is not a container port of Deployment conduit/gateway");
    }

    @Test
    void podMonitorThatSelectsNothingOrMissesAServiceIsFound() {
        Manifests none = podMonitor(p -> ((ArrayNode) p.at("/spec/selector/matchExpressions/0/values")).removeAll().add("gatway"));
        List<String> v = MonitoringChecks.podMonitors(none, ServiceContract.services());
        expect(v, "PodMonitor conduit/conduit", "matches no pod template");
        expect(v, "Deployment gateway", "no PodMonitor scrapes its management port");
        Manifests three = podMonitor(p -> ((ArrayNode) p.at("/spec/selector/matchExpressions/0/values")).remove(3));
        expect(MonitoringChecks.podMonitors(three, ServiceContract.services()), "Deployment comment-service",
                "no PodMonitor scrapes its management port");
    }

    @Test
    void podMonitorOnTheWrongPathIsFound() {
        Manifests m = podMonitor(p -> ((ObjectNode) p.at("/spec/podMetricsEndpoints/0")).put("path", "/metrics"));
        expect(MonitoringChecks.podMonitors(m, ServiceContract.services()), "PodMonitor conduit/conduit", "path /metrics");
    }

    @Test
    void misspeltPodMonitorFieldIsFoundByTheStrictModel() {
        Manifests m = podMonitor(p -> ((ObjectNode) p.get("spec")).set("podMetricEndpoints", ((ObjectNode) p.get("spec")).remove("podMetricsEndpoints")));
        expect(m.problems, "PodMonitor conduit/conduit", "unknown field [spec.podMetricEndpoints]");
    }

    // ---- dashboard ----------------------------------------------------------------------------

    @Test
    void dashboardThatIsNotJsonIsFound() {
        Manifests m = dashboard(json -> json.substring(0, json.length() / 2));
        expect(MonitoringChecks.dashboards(m, DOC), "ConfigMap conduit/conduit-grafana-dashboard conduit.json", "not JSON");
    }

    @Test
    void panelWithAnUnknownMetricIsFound() {
        Manifests m = dashboard(json -> json.replace("conduit_outbox_pending{", "conduit_outbox_pendings{"));
        List<String> v = MonitoringChecks.dashboards(m, DOC);
        expect(v, "panel 'Outbox backlog' query A", "unknown metric conduit_outbox_pendings");
        expect(v, "conduit.json", "no panel shows conduit_outbox_pending");
    }

    @Test
    void panelWithAnUndefinedVariableIsFound() {
        Manifests m = dashboard(json -> json.replace("namespace=\\\"$namespace\\\"", "namespace=\\\"$ns\\\""));
        expect(MonitoringChecks.dashboards(m, DOC), "panel 'Request rate'", "uses $ns, which the dashboard does not define");
    }

    // ---- tracing and the network --------------------------------------------------------------

    @Test
    void otlpEndpointToNoServiceIsFound() {
        Manifests m = CheckerSelfTest.edit(TARGET, "ConfigMap", "post-service-config",
                c -> ((ObjectNode) c.get("data")).put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-colector:4317"));
        expect(ServiceChecks.configuration(m, ServiceContract.table()), "Deployment conduit/post-service container post-service",
                "OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-colector:4317 names Service otel-colector, which does not exist");
    }

    /** The component's one job: CONDUIT_TRACING=true; without it the service keeps its ConfigMap's "false". */
    @Test
    void serviceLeftWithoutTracingBesideTheCollectorIsFound() {
        Manifests m = CheckerSelfTest.edit(TARGET, "Deployment", "post-service", d -> removeEnv(d, "CONDUIT_TRACING"));
        expect(MonitoringChecks.tracing(m, ServiceContract.services()), "Deployment post-service",
                "CONDUIT_TRACING=false beside the otel-collector");
        // tracing off, the endpoint is not read: a wrong one is no violation (the base and prod point at a
        // collector they do not run)
        Manifests wrongEndpoint = CheckerSelfTest.editAgain(m, "ConfigMap", "post-service-config",
                c -> ((ObjectNode) c.get("data")).put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-colector:4317"));
        assertEquals(List.of(), ServiceChecks.configuration(wrongEndpoint, ServiceContract.table()).stream()
                .filter(v -> v.contains("OTEL_EXPORTER_OTLP_ENDPOINT")).toList());
    }

    /** Quarkus' own switch turns the SDK on but not the Kafka connector's trace headers. */
    @Test
    void quarkusSdkSwitchInsteadOfConduitTracingIsFound() {
        Manifests m = CheckerSelfTest.edit(TARGET, "Deployment", "post-service", d -> {
            removeEnv(d, "CONDUIT_TRACING");
            ((ArrayNode) d.at("/spec/template/spec/containers/0/env"))
                    .addObject().put("name", "QUARKUS_OTEL_SDK_DISABLED").put("value", "false");
        });
        expect(ServiceChecks.configuration(m, ServiceContract.table()), "Deployment conduit/post-service",
                "sets QUARKUS_OTEL_SDK_DISABLED, which post-service does not read");
        expect(MonitoringChecks.tracing(m, ServiceContract.services()), "Deployment post-service",
                "CONDUIT_TRACING=false beside the otel-collector");
    }

    @Test
    void tracingFlagOrProtocolThatTheServicesRefuseIsFound() {
        Manifests m = CheckerSelfTest.editAgain(CheckerSelfTest.edit(TARGET, "Deployment", "post-service", d -> {
            for (var env : d.at("/spec/template/spec/containers/0/env")) {
                if (env.path("name").asText().equals("CONDUIT_TRACING")) {
                    ((ObjectNode) env).put("value", "yes");
                }
            }
        }), "ConfigMap", "post-service-config", c -> ((ObjectNode) c.get("data")).put("OTEL_EXPORTER_OTLP_PROTOCOL", "http"));
        List<String> v = ServiceChecks.configuration(m, ServiceContract.table());
        expect(v, "Deployment conduit/post-service container post-service",
                "CONDUIT_TRACING=yes, but the services accept exactly \"true\" or \"false\"");
        expect(v, "Deployment conduit/post-service container post-service",
                "OTEL_EXPORTER_OTLP_PROTOCOL=http is none of [grpc, http/protobuf]");
    }

    @Test
    void otherTelemetryVariablesAreStillRefused() {
        Manifests m = CheckerSelfTest.edit(TARGET, "Deployment", "post-service", d -> ((ArrayNode) d.at("/spec/template/spec/containers/0/env"))
                .addObject().put("name", "OTEL_TRACES_SAMPLER").put("value", "always_on"));
        expect(ServiceChecks.configuration(m, ServiceContract.table()), "Deployment conduit/post-service",
                "sets OTEL_TRACES_SAMPLER, which post-service does not read");
    }

    @Test
    void scrapeRuleOpenToEveryNamespaceIsFound() {
        Manifests m = CheckerSelfTest.edit(TARGET, "NetworkPolicy", "allow-prometheus-scrape",
                p -> ((ObjectNode) p.at("/spec/ingress/0/from/0")).remove("podSelector"));
        List<String> violations = NetworkPolicyTest.managementPorts(m);
        expect(violations, "reaches the management port: monitoring/grafana", "gateway:9000/TCP");
        expect(NetworkPolicyTest.compare(m, NetworkPolicyTest.expected(m)), "allowed but not in the design",
                "monitoring/grafana -> post-service:9000/TCP");
    }

    @Test
    void servicesThatCannotReachTheCollectorAreFound() {
        Manifests m = CheckerSelfTest.edit(TARGET, "NetworkPolicy", "otel-exporters",
                p -> ((ArrayNode) p.at("/spec/podSelector/matchExpressions/0/values")).remove(0));
        expect(NetworkPolicyTest.compare(m, NetworkPolicyTest.expected(m)), "in the design but blocked",
                "gateway -> otel-collector:4317/TCP");
    }

    // ---- the catalogue against the code --------------------------------------------------------

    private static final String METERS = """
            package x;
            class Relay {
                static final String NAME = "conduit.relay.send";
                void meters(MeterRegistry registry) {
                    Timer.builder(NAME)
                            .tag("topic", t)
                            .tag("outcome", "success")
                            .register(registry);
                    Counter.builder("conduit.relay.dropped").tag("topic", t).register(registry);
                    Gauge.builder(Backlog.AGE, this, Relay::age).baseUnit("seconds").register(registry);
                    MultiGauge.builder("conduit.relay.lag").register(registry);
                    Timer.builder("http.client.requests").register(registry);
                }
            }
            """;
    private static final String BACKLOG = """
            class Backlog {
                public static final String AGE = "conduit.relay.backlog.age";
            }
            """;
    private static final String RELAY_DOC = """
            | `conduit_relay_send_seconds` | histogram | `topic`, `outcome` | sends |
            | `conduit_relay_dropped_total` | counter | `topic` | drops |
            | `conduit_relay_backlog_age_seconds` | gauge | none | age |
            | `conduit_relay_lag` | gauge | `partition` | lag |
            | `http_server_requests_seconds` | histogram | `uri` | not ours: not compared |
            """;

    @Test
    void metersAreNamedAsPrometheusNamesThem() {
        Meters.Reading reading = Meters.read(Map.of("x/src/main/java/x/Relay.java", METERS, "x/src/main/java/x/Backlog.java", BACKLOG));
        assertEquals(List.of(), reading.problems());
        assertEquals(List.of(
                        new Meters.Meter("conduit_relay_send_seconds", "histogram", Set.of("topic", "outcome"), "x/src/main/java/x/Relay.java:5"),
                        new Meters.Meter("conduit_relay_dropped_total", "counter", Set.of("topic"), "x/src/main/java/x/Relay.java:9"),
                        new Meters.Meter("conduit_relay_backlog_age_seconds", "gauge", Set.of(), "x/src/main/java/x/Relay.java:10"),
                        new Meters.Meter("conduit_relay_lag", "gauge", null, "x/src/main/java/x/Relay.java:11")),
                reading.meters());
        assertEquals(List.of(), Meters.compare(MonitoringChecks.metricRows(RELAY_DOC), reading));
    }

    @Test
    void catalogueOutOfStepWithTheCodeIsFound() {
        Meters.Reading reading = Meters.read(Map.of("x/src/main/java/x/Relay.java", METERS, "x/src/main/java/x/Backlog.java", BACKLOG));
        String doc = RELAY_DOC.replace("`conduit_relay_dropped_total` | counter", "`conduit_relay_dropped` | counter")
                .replace("| `conduit_relay_send_seconds` | histogram | `topic`, `outcome` |", "| `conduit_relay_send_seconds` | histogram | `topic` |")
                .replace("`conduit_relay_backlog_age_seconds` | gauge", "`conduit_relay_backlog_age_seconds` | counter");
        List<String> v = Meters.compare(MonitoringChecks.metricRows(doc), reading);
        expect(v, "Relay.java:9", "registers conduit_relay_dropped_total (counter), which the catalogue in docs/operating.md does not list");
        expect(v, "docs/operating.md", "lists conduit_relay_dropped, which no code registers");
        expect(v, "Relay.java:5", "conduit_relay_send_seconds has labels [outcome, topic], docs/operating.md says [topic]");
        expect(v, "Relay.java:10", "conduit_relay_backlog_age_seconds is a gauge, docs/operating.md says counter");
    }

    @Test
    void meterNameTheReaderCannotFollowIsReported() {
        Meters.Reading reading = Meters.read(Map.of("x/src/main/java/x/Dynamic.java",
                "class Dynamic { void m(String name) { Counter.builder(name).register(r); Gauge.builder(Other.GONE, this, x).register(r); } }"));
        expect(reading.problems(), "Dynamic.java:1", "Counter.builder(name): the name is neither a string literal nor a String constant");
        expect(reading.problems(), "Dynamic.java:1", "Gauge.builder(Other.GONE)");
    }

    @Test
    void metricOfTheCodeDroppedFromTheRealCatalogueIsFound() {
        String doc = DOC.lines().filter(l -> !l.contains("`conduit_outbox_send_seconds`")).collect(java.util.stream.Collectors.joining("\n"));
        expect(Meters.compare(MonitoringChecks.metricRows(doc), Meters.read(Meters.sources())),
                "service-support/src/main/java/dev/conduit/support/metrics/OutboxSendMetrics.java",
                "registers conduit_outbox_send_seconds (histogram), which the catalogue in docs/operating.md does not list");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static List<String> problems(String expr) {
        return problems(expr, CATALOGUE);
    }

    private static List<String> problems(String expr, Map<String, Set<String>> catalogue) {
        return PromQL.read(expr, catalogue, SCRAPE).problems();
    }

    /** The rendered target with one rule of PrometheusRule conduit edited (group 0: requests, 2: gateway). */
    private static Manifests rule(int group, int rule, Consumer<ObjectNode> edit) {
        return CheckerSelfTest.edit(TARGET, "PrometheusRule", "conduit",
                p -> edit.accept((ObjectNode) p.at("/spec/groups/" + group + "/rules/" + rule)));
    }

    /** Drops a variable from the first container's env (the services have one container each). */
    private static void removeEnv(ObjectNode workload, String name) {
        ArrayNode env = (ArrayNode) workload.at("/spec/template/spec/containers/0/env");
        for (int i = env.size() - 1; i >= 0; i--) {
            if (env.get(i).path("name").asText().equals(name)) {
                env.remove(i);
            }
        }
    }

    private static Manifests podMonitor(Consumer<ObjectNode> edit) {
        return CheckerSelfTest.edit(TARGET, "PodMonitor", "conduit", edit);
    }

    private static Manifests dashboard(java.util.function.UnaryOperator<String> edit) {
        return CheckerSelfTest.edit(TARGET, "ConfigMap", "conduit-grafana-dashboard", c -> {
            ObjectNode data = (ObjectNode) c.get("data");
            data.put("conduit.json", edit.apply(data.get("conduit.json").asText()));
        });
    }

    private static void expect(List<String> violations, String problem) {
        expect(violations, "", problem);
    }

    private static void expect(List<String> violations, String object, String problem) {
        for (String v : violations) {
            if (v.contains(object) && v.contains(problem)) {
                return;
            }
        }
        fail("expected a violation naming '" + object + "' with '" + problem + "', got:\n  " + String.join("\n  ", violations));
    }
}

package dev.conduit.k8s;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * With the network-policies component, exactly the connections the design makes get through:
 * evaluated as a matrix of every pod (and the peers around the namespace) to every port.
 */
class NetworkPolicyTest {

    /** The design's calls. Every pod of the namespace may also resolve names (added below). */
    static final Set<String> DESIGN = Set.of(
            "ingress-nginx/controller -> gateway:8080/TCP",
            "gateway -> user-service:8081/TCP",
            "gateway -> post-service:8082/TCP",
            "gateway -> comment-service:8083/TCP",
            // the gateway's aggregated platform view asks each service's readiness on its management port
            "gateway -> user-service:9000/TCP",
            "gateway -> post-service:9000/TCP",
            "gateway -> comment-service:9000/TCP",
            "gateway -> trending-service:9000/TCP",
            "gateway -> trending-service:8084/TCP",
            "comment-service -> post-service:8082/TCP",
            // trending-service looks up the articles of its list
            "trending-service -> post-service:8082/TCP",
            // Kafka Streams' interactive queries: a pod asks the pod that holds a key (application.server)
            "trending-service -> trending-service:8084/TCP",
            "post-service -> user-service:8081/TCP",
            // the JWK set that verifies tokens (the gateway's is its line above)
            "comment-service -> user-service:8081/TCP",
            "user-service -> mongodb:27017/TCP",
            "post-service -> mongodb:27017/TCP",
            "comment-service -> mongodb:27017/TCP",
            "user-service -> conduit-kafka:9093/TCP",
            "post-service -> conduit-kafka:9093/TCP",
            "comment-service -> conduit-kafka:9093/TCP",
            "trending-service -> conduit-kafka:9093/TCP",
            // infrastructure among itself
            "mongodb -> mongodb:27017/TCP",
            "mongodb-rs-init -> mongodb:27017/TCP",
            "conduit-kafka -> conduit-kafka:9090/TCP",
            "conduit-kafka -> conduit-kafka:9091/TCP",
            "conduit-entity-operator -> conduit-kafka:9091/TCP",
            "conduit-entity-operator -> apiserver:443/TCP",
            "conduit-entity-operator -> apiserver:6443/TCP",
            "strimzi/cluster-operator -> conduit-kafka:9090/TCP",
            "strimzi/cluster-operator -> conduit-kafka:9091/TCP");

    /** With components/monitoring: Prometheus scrapes the management port of the four services and trending-service. */
    static final Set<String> MONITORING = Set.of(
            "monitoring/prometheus -> gateway:9000/TCP",
            "monitoring/prometheus -> user-service:9000/TCP",
            "monitoring/prometheus -> post-service:9000/TCP",
            "monitoring/prometheus -> comment-service:9000/TCP",
            "monitoring/prometheus -> trending-service:9000/TCP");

    /**
     * With components/otel-collector: the four services send spans to the collector, which forwards
     * them to a backend (OTLP ports to any pod of the cluster; those and 443 outside the private ranges).
     */
    static final Set<String> TRACING = Set.of(
            "gateway -> otel-collector:4317/TCP",
            "gateway -> otel-collector:4318/TCP",
            "user-service -> otel-collector:4317/TCP",
            "user-service -> otel-collector:4318/TCP",
            "post-service -> otel-collector:4317/TCP",
            "post-service -> otel-collector:4318/TCP",
            "comment-service -> otel-collector:4317/TCP",
            "comment-service -> otel-collector:4318/TCP",
            "trending-service -> otel-collector:4317/TCP",
            "trending-service -> otel-collector:4318/TCP",
            "otel-collector -> internet:443/TCP");

    static boolean monitored(Manifests m) {
        return !m.of(PodMonitor.class).isEmpty();
    }

    static boolean traced(Manifests m) {
        return m.workload("otel-collector").isPresent();
    }

    @TestFactory
    Stream<DynamicTest> exactlyTheDesignedConnectionsAreAllowed() {
        return Kustomize.targets().stream()
                .filter(target -> !Kustomize.manifests(target).of(NetworkPolicy.class).isEmpty())
                .map(target -> DynamicTest.dynamicTest(target, () -> {
                    Manifests m = Kustomize.manifests(target);
                    List<String> violations = compare(m, expected(m));
                    if (!violations.isEmpty()) {
                        fail("[" + target + "] network policies do not implement the design:\n  "
                                + String.join("\n  ", violations));
                    }
                }));
    }

    /**
     * Who may open each app's management port (health, metrics): the gateway, for its platform view,
     * on the three services; nobody on the gateway itself; and Prometheus on all four where the
     * monitoring component is in. Kubelet probes are not subject to policies.
     */
    static Map<String, Set<String>> managementCallers(Manifests m) {
        if (!monitored(m)) {
            return MANAGEMENT_CALLERS;
        }
        Map<String, Set<String>> callers = new java.util.HashMap<>();
        MANAGEMENT_CALLERS.forEach((pod, set) -> {
            Set<String> with = new TreeSet<>(set);
            with.add("monitoring/prometheus");
            callers.put(pod, with);
        });
        return callers;
    }

    private static final Map<String, Set<String>> MANAGEMENT_CALLERS = Map.of(
            "user-service", Set.of("gateway"),
            "post-service", Set.of("gateway"),
            "comment-service", Set.of("gateway"),
            "trending-service", Set.of("gateway"),
            "gateway", Set.of());

    /** Spelt out, though the matrix above implies them: the management ports' neighbours that must stay out. */
    static final Set<String> NEVER = Set.of(
            "ingress-nginx/controller -> gateway:9000/TCP",
            "ingress-nginx/controller -> user-service:9000/TCP",
            "ingress-nginx/controller -> post-service:9000/TCP",
            "ingress-nginx/controller -> comment-service:9000/TCP",
            "other/intruder -> user-service:9000/TCP",
            "user-service -> post-service:9000/TCP",
            "user-service -> comment-service:9000/TCP",
            "post-service -> user-service:9000/TCP",
            "post-service -> comment-service:9000/TCP",
            "comment-service -> user-service:9000/TCP",
            "comment-service -> post-service:9000/TCP",
            "monitoring/grafana -> gateway:9000/TCP",
            "monitoring/grafana -> post-service:9000/TCP",
            "user-service -> gateway:9000/TCP",
            "post-service -> gateway:9000/TCP",
            "comment-service -> gateway:9000/TCP",
            // trending-service's pods reach each other's public port only, never the management port
            "ingress-nginx/controller -> trending-service:9000/TCP",
            "ingress-nginx/controller -> trending-service:8084/TCP",
            "trending-service -> trending-service:9000/TCP",
            "trending-service -> post-service:9000/TCP",
            "post-service -> trending-service:9000/TCP",
            "trending-service -> gateway:9000/TCP");

    @TestFactory
    Stream<DynamicTest> managementPortsAreReachableOnlyFromTheGateway() {
        return Kustomize.overlays().stream().map(target -> DynamicTest.dynamicTest(target, () -> {
            Manifests m = Kustomize.manifests(target);
            List<String> violations = managementPorts(m);
            Set<String> allowed = NetworkModel.allowedFlows(m);
            NEVER.stream().filter(allowed::contains).sorted().forEach(f -> violations.add("must be blocked: " + f));
            if (!violations.isEmpty()) {
                fail("[" + target + "] management ports:\n  " + String.join("\n  ", violations));
            }
        }));
    }

    /** Every pod's port named management admits exactly its callers in {@link #managementCallers}. */
    static List<String> managementPorts(Manifests m) {
        Set<String> allowed = NetworkModel.allowedFlows(m);
        Map<String, Set<String>> managementCallers = managementCallers(m);
        List<String> out = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (NetworkModel.Pod pod : NetworkModel.pods(m)) {
            for (NetworkModel.Port port : pod.ports()) {
                if (!QuarkusChecks.MANAGEMENT.equals(port.name())) {
                    continue;
                }
                seen.add(pod.name());
                String target = " -> " + pod.display() + ":" + port;
                Set<String> callers = new TreeSet<>();
                allowed.stream().filter(f -> f.endsWith(target)).forEach(f -> callers.add(f.substring(0, f.indexOf(" -> "))));
                Set<String> expected = managementCallers.get(pod.name());
                if (expected == null) {
                    out.add(pod.display() + " has a management port that the design gives no callers");
                    continue;
                }
                callers.stream().filter(c -> !expected.contains(c)).forEach(c -> out.add("reaches the management port: " + c + target));
                expected.stream().filter(c -> !callers.contains(c)).forEach(c -> out.add("cannot reach the management port: " + c + target));
            }
        }
        managementCallers.keySet().stream().filter(p -> !seen.contains(p)).sorted()
                .forEach(p -> out.add(p + " has no container port named " + QuarkusChecks.MANAGEMENT));
        return out;
    }

    @org.junit.jupiter.api.Test
    void productionAndLocalBothUseTheNetworkPolicies() {
        for (String overlay : Kustomize.overlays()) {
            assertFalse(Kustomize.manifests(overlay).of(NetworkPolicy.class).isEmpty(),
                    overlay + " does not include components/network-policies");
        }
    }

    static Set<String> expected(Manifests m) {
        Set<String> expected = new TreeSet<>(DESIGN);
        if (monitored(m)) {
            expected.addAll(MONITORING);
        }
        if (traced(m)) {
            expected.addAll(TRACING);
        }
        NetworkModel.pods(m).forEach(p -> {
            expected.add(p.display() + " -> kube-system/kube-dns:53/UDP");
            expected.add(p.display() + " -> kube-system/kube-dns:53/TCP");
        });
        return expected;
    }

    static List<String> compare(Manifests m, Set<String> expected) {
        Set<String> allowed = NetworkModel.allowedFlows(m);
        List<String> out = new ArrayList<>();
        allowed.stream().filter(f -> !expected.contains(f)).forEach(f -> out.add("allowed but not in the design: " + f));
        expected.stream().filter(f -> !allowed.contains(f)).forEach(f -> out.add("in the design but blocked: " + f));
        return out;
    }
}

package dev.conduit.k8s;

import dev.conduit.k8s.Manifests.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Evaluates NetworkPolicies the way Kubernetes does, over the pods a target runs plus the peers
 * around it (ingress controller, DNS, the Strimzi operator, the API server, a pod of another
 * namespace, the internet), and lists every connection that gets through.
 * Kafka's ports are guarded by the policies Strimzi generates; they are modelled from the Kafka
 * resource as Strimzi documents them: controller (9090) and replication (9091) ports from the
 * Kafka nodes, the entity operator (9091 only) and the cluster operator; each listener from its
 * networkPolicyPeers, or from anyone when it has none.
 */
final class NetworkModel {

    static final String NAMESPACE = "conduit";

    record Port(int number, String name, String protocol) {
        @Override
        public String toString() {
            return number + "/" + protocol;
        }
    }

    /** A pod (or an address outside the cluster's pods when namespace is null). */
    record Pod(String name, String namespace, Map<String, String> namespaceLabels, Map<String, String> labels,
               String ip, List<Port> ports) {
        String display() {
            return namespace == null || namespace.equals(NAMESPACE) ? name : namespace + "/" + name;
        }

        boolean inNamespace() {
            return NAMESPACE.equals(namespace);
        }
    }

    private NetworkModel() {
    }

    /** The pods of the target itself, Strimzi's included. */
    static List<Pod> pods(Manifests m) {
        Map<String, String> nsLabels = namespaceLabels(m);
        List<Pod> pods = new ArrayList<>();
        int ip = 10;
        for (Workload w : m.workloads()) {
            List<Port> ports = new ArrayList<>();
            for (Container c : w.template().getSpec().getContainers()) {
                Policies.list(c.getPorts()).forEach(p -> ports.add(new Port(p.getContainerPort(), p.getName(),
                        p.getProtocol() == null ? "TCP" : p.getProtocol())));
            }
            pods.add(new Pod(w.name(), NAMESPACE, nsLabels, Policies.labels(w.template().getMetadata()),
                    "10.244.0." + ip++, ports));
        }
        for (Kafka kafka : m.of(Kafka.class)) {
            String cluster = kafka.getMetadata().getName();
            List<Port> ports = new ArrayList<>(List.of(new Port(9090, "tcp-ctrlplane", "TCP"),
                    new Port(9091, "tcp-replication", "TCP")));
            for (GenericKafkaListener l : kafka.getSpec().getKafka().getListeners()) {
                ports.add(new Port(l.getPort(), "tcp-" + l.getName(), "TCP"));
            }
            pods.add(new Pod(cluster + "-kafka", NAMESPACE, nsLabels, Map.of("strimzi.io/cluster", cluster,
                    "strimzi.io/kind", "Kafka", "strimzi.io/name", cluster + "-kafka"), "10.244.0." + ip++, ports));
            if (kafka.getSpec().getEntityOperator() != null) {
                pods.add(new Pod(cluster + "-entity-operator", NAMESPACE, nsLabels, Map.of("strimzi.io/cluster", cluster,
                        "strimzi.io/kind", "Kafka", "strimzi.io/name", cluster + "-entity-operator"),
                        "10.244.0." + ip++, List.of()));
            }
        }
        return pods;
    }

    /** What surrounds the namespace. */
    static List<Pod> surroundings() {
        return List.of(
                new Pod("controller", "ingress-nginx", Map.of("kubernetes.io/metadata.name", "ingress-nginx"),
                        Map.of("app.kubernetes.io/name", "ingress-nginx"), "10.244.1.1", List.of()),
                new Pod("kube-dns", "kube-system", Map.of("kubernetes.io/metadata.name", "kube-system"),
                        Map.of("k8s-app", "kube-dns"), "10.244.1.2",
                        List.of(new Port(53, "dns", "UDP"), new Port(53, "dns-tcp", "TCP"))),
                new Pod("cluster-operator", "strimzi", Map.of("kubernetes.io/metadata.name", "strimzi"),
                        Map.of("strimzi.io/kind", "cluster-operator", "name", "strimzi-cluster-operator"), "10.244.1.3", List.of()),
                // same labels as the gateway, in another namespace: must not pass for it
                new Pod("intruder", "other", Map.of("kubernetes.io/metadata.name", "other"),
                        Map.of("app", "gateway"), "10.244.1.4", List.of(new Port(8080, "http", "TCP"))),
                // kube-prometheus-stack's Prometheus, and a neighbour of it that must not scrape
                new Pod("prometheus", "monitoring", Map.of("kubernetes.io/metadata.name", "monitoring"),
                        Map.of("app.kubernetes.io/name", "prometheus"), "10.244.1.5", List.of()),
                new Pod("grafana", "monitoring", Map.of("kubernetes.io/metadata.name", "monitoring"),
                        Map.of("app.kubernetes.io/name", "grafana"), "10.244.1.6", List.of()),
                new Pod("apiserver", null, Map.of(), Map.of(), "172.18.0.2",
                        List.of(new Port(443, "https", "TCP"), new Port(6443, "https-alt", "TCP"))),
                new Pod("internet", null, Map.of(), Map.of(), "203.0.113.10", List.of(new Port(443, "https", "TCP"))));
    }

    /** Every allowed connection "source -> destination:port/protocol" that involves the namespace. */
    static TreeSet<String> allowedFlows(Manifests m) {
        List<NetworkPolicy> policies = new ArrayList<>(m.of(NetworkPolicy.class));
        policies.addAll(strimziPolicies(m));
        List<Pod> all = new ArrayList<>(pods(m));
        all.addAll(surroundings());
        TreeSet<String> flows = new TreeSet<>();
        for (Pod src : all) {
            for (Pod dst : all) {
                if (src == dst && !src.inNamespace() || !src.inNamespace() && !dst.inNamespace()) {
                    continue;
                }
                for (Port port : dst.ports()) {
                    if (egressAllowed(policies, src, dst, port) && ingressAllowed(policies, src, dst, port)) {
                        flows.add(src.display() + " -> " + dst.display() + ":" + port);
                    }
                }
            }
        }
        return flows;
    }

    private static boolean egressAllowed(List<NetworkPolicy> policies, Pod src, Pod dst, Port port) {
        if (!src.inNamespace()) {
            return true;
        }
        List<NetworkPolicy> applying = policies.stream().filter(p -> selects(p, src, "Egress")).toList();
        if (applying.isEmpty()) {
            return true;
        }
        return applying.stream().flatMap(p -> Policies.list(p.getSpec().getEgress()).stream())
                .anyMatch(rule -> peersMatch(rule.getTo(), dst) && portsMatch(rule.getPorts(), port));
    }

    private static boolean ingressAllowed(List<NetworkPolicy> policies, Pod src, Pod dst, Port port) {
        if (!dst.inNamespace()) {
            return true;
        }
        List<NetworkPolicy> applying = policies.stream().filter(p -> selects(p, dst, "Ingress")).toList();
        if (applying.isEmpty()) {
            return true;
        }
        return applying.stream().flatMap(p -> Policies.list(p.getSpec().getIngress()).stream())
                .anyMatch(rule -> peersMatch(rule.getFrom(), src) && portsMatch(rule.getPorts(), port));
    }

    private static boolean selects(NetworkPolicy policy, Pod pod, String type) {
        List<String> types = Policies.list(policy.getSpec().getPolicyTypes());
        boolean applies = types.isEmpty()
                ? type.equals("Ingress") || !Policies.list(policy.getSpec().getEgress()).isEmpty()
                : types.contains(type);
        return applies && Labels.selects(policy.getSpec().getPodSelector(), pod.labels());
    }

    private static boolean peersMatch(List<NetworkPolicyPeer> peers, Pod pod) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                if (inBlock(peer.getIpBlock(), pod.ip())) {
                    return true;
                }
                continue;
            }
            if (pod.namespace() == null) {
                continue;
            }
            boolean namespaceOk = peer.getNamespaceSelector() == null
                    ? pod.inNamespace()
                    : Labels.selects(peer.getNamespaceSelector(), pod.namespaceLabels());
            boolean podOk = peer.getPodSelector() == null || Labels.selects(peer.getPodSelector(), pod.labels());
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean portsMatch(List<NetworkPolicyPort> ports, Port port) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPort p : ports) {
            String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
            if (!protocol.equals(port.protocol())) {
                continue;
            }
            IntOrString value = p.getPort();
            if (value == null) {
                return true;
            }
            if (value.getStrVal() != null) {
                if (value.getStrVal().equals(port.name())) {
                    return true;
                }
                continue;
            }
            int from = value.getIntVal();
            int to = p.getEndPort() == null ? from : p.getEndPort();
            if (port.number() >= from && port.number() <= to) {
                return true;
            }
        }
        return false;
    }

    private static boolean inBlock(IPBlock block, String ip) {
        if (!inCidr(block.getCidr(), ip)) {
            return false;
        }
        return Policies.list(block.getExcept()).stream().noneMatch(except -> inCidr(except, ip));
    }

    private static boolean inCidr(String cidr, String ip) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : 0xFFFFFFFFL << (32 - bits) & 0xFFFFFFFFL;
        return (toLong(parts[0]) & mask) == (toLong(ip) & mask);
    }

    private static long toLong(String ip) {
        long value = 0;
        for (String octet : ip.split("\\.")) {
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }

    private static Map<String, String> namespaceLabels(Manifests m) {
        Map<String, String> labels = new HashMap<>();
        m.find(Namespace.class, NAMESPACE).ifPresent(ns -> labels.putAll(Policies.labels(ns.getMetadata())));
        labels.put("kubernetes.io/metadata.name", NAMESPACE);
        return labels;
    }

    /** The ingress policies Strimzi creates for a Kafka cluster, as its documentation describes them. */
    private static List<NetworkPolicy> strimziPolicies(Manifests m) {
        List<NetworkPolicy> generated = new ArrayList<>();
        for (Kafka kafka : m.of(Kafka.class)) {
            String cluster = kafka.getMetadata().getName();
            NetworkPolicyPeer nodes = podPeer("strimzi.io/name", cluster + "-kafka");
            NetworkPolicyPeer entityOperator = podPeer("strimzi.io/name", cluster + "-entity-operator");
            NetworkPolicyPeer clusterOperator = new NetworkPolicyPeerBuilder()
                    .withNamespaceSelector(new LabelSelector())
                    .withPodSelector(selector("strimzi.io/kind", "cluster-operator")).build();
            NetworkPolicyBuilder policy = new NetworkPolicyBuilder()
                    .withNewMetadata().withName(cluster + "-network-policy-kafka").withNamespace(NAMESPACE).endMetadata()
                    .withNewSpec()
                    .withPodSelector(selector("strimzi.io/name", cluster + "-kafka"))
                    .withPolicyTypes("Ingress")
                    .addNewIngress().withFrom(nodes, clusterOperator).withPorts(tcp(9090)).endIngress()
                    .addNewIngress().withFrom(nodes, entityOperator, clusterOperator).withPorts(tcp(9091)).endIngress()
                    .endSpec();
            for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
                List<NetworkPolicyPeer> peers = Objects.requireNonNullElse(listener.getNetworkPolicyPeers(), List.of());
                policy.editSpec().addNewIngress().withFrom(peers).withPorts(tcp(listener.getPort())).endIngress().endSpec();
            }
            generated.add(policy.build());
        }
        return generated;
    }

    private static NetworkPolicyPeer podPeer(String key, String value) {
        return new NetworkPolicyPeerBuilder().withPodSelector(selector(key, value)).build();
    }

    private static LabelSelector selector(String key, String value) {
        return new LabelSelectorBuilder().addToMatchLabels(key, value).build();
    }

    private static NetworkPolicyPort tcp(int port) {
        return new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build();
    }
}

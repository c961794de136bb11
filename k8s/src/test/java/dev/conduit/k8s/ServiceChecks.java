package dev.conduit.k8s;

import dev.conduit.k8s.Manifests.Manifest;
import dev.conduit.k8s.Manifests.Workload;
import dev.conduit.k8s.ServiceContract.Row;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static dev.conduit.k8s.Policies.list;

/** Each service gets every setting it reads, with values that point at things that exist. */
final class ServiceChecks {

    static final String JWT_SECRET = "conduit-jwt";
    /** The one service allowed to hold the key set; every other verifies with the JWK set it publishes. */
    static final String SIGNER = "user-service";

    private ServiceChecks() {
    }

    /** A variable's value as the pod will see it: a literal, or where it comes from. */
    record Value(String literal, String source) {
    }

    static List<String> configuration(Manifests m, Map<String, Row> table) {
        List<String> out = new ArrayList<>();
        for (Row row : table.values()) {
            String service = row.service();
            Optional<Deployment> deployment = m.find(Deployment.class, service);
            if (deployment.isEmpty()) {
                out.add("Deployment " + service + " is missing");
                continue;
            }
            String id = Manifest.id(deployment.get());
            Optional<Container> container = deployment.get().getSpec().getTemplate().getSpec().getContainers().stream()
                    .filter(c -> c.getName().equals(service)).findFirst();
            if (container.isEmpty()) {
                out.add(id + ": no container named " + service);
                continue;
            }
            Map<String, Value> env = environment(m, container.get());
            Set<String> required = new TreeSet<>(row.variables());
            Set<String> fromProperties = ServiceContract.variablesReadBy(service);
            required.addAll(fromProperties);
            for (String variable : required) {
                if (!env.containsKey(variable)) {
                    String where = fromProperties.contains(variable)
                            ? service + "/src/main/resources/application.properties" : "k8s/README.md";
                    out.add(id + ": " + service + " reads " + variable + " (" + where + ") but its container does not set it");
                }
            }
            Set<String> optional = ServiceContract.componentVariables();
            for (String variable : env.keySet()) {
                if (!required.contains(variable) && !optional.contains(variable)) {
                    out.add(id + ": sets " + variable + ", which " + service
                            + " does not read (neither its application.properties nor the k8s/README.md tables name it)");
                }
            }
            String where = id + " container " + service;
            int port = row.port();
            boolean declared = list(container.get().getPorts()).stream().anyMatch(p -> p.getContainerPort() == port);
            if (!declared) {
                out.add(where + ": does not declare containerPort " + port + " (k8s/README.md)");
            }
            Integer propertiesPort = ServiceContract.httpPort(service);
            if (propertiesPort != null && propertiesPort != port) {
                out.add(where + ": k8s/README.md says port " + port + " but application.properties has quarkus.http.port=" + propertiesPort);
            }
            Value portValue = env.get("QUARKUS_HTTP_PORT");
            if (portValue != null && !String.valueOf(port).equals(portValue.literal())) {
                out.add(where + ": QUARKUS_HTTP_PORT=" + portValue.literal() + " but the service listens on " + port);
            }
            boolean tracing = tracing(env);
            env.forEach((name, value) -> out.addAll(value(m, where, name, value, tracing, deployment.get(), container.get())));
        }
        out.addAll(keySetOnlyInSigner(m));
        return out;
    }

    private static List<String> value(Manifests m, String where, String name, Value value, boolean tracing,
                                      Deployment d, Container c) {
        List<String> out = new ArrayList<>();
        String literal = value.literal();
        if (literal != null && name.matches(".*(PASSWORD|SECRET|TOKEN|_URI)$") && literal.contains("@")
                || literal != null && name.matches(".*(PASSWORD|SECRET|TOKEN)$")) {
            out.add(where + ": " + name + " carries a credential as plain text; read it from a Secret");
        }
        if (literal == null) {
            return out;
        }
        boolean managementUrl = name.endsWith("_SERVICE_MANAGEMENT_URL");
        if (name.endsWith("_SERVICE_URL") || managementUrl) {
            String suffix = managementUrl ? "_MANAGEMENT_URL" : "_URL";
            String expected = name.substring(0, name.length() - suffix.length()).toLowerCase(Locale.ROOT).replace('_', '-');
            out.addAll(serviceUrl(m, where, name, literal, expected, managementUrl));
        }
        if (name.equals("KAFKA_BOOTSTRAP_SERVERS")) {
            for (String server : literal.split(",")) {
                String[] hostPort = server.strip().split(":");
                String host = hostPort[0];
                int port = hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : -1;
                Optional<Kafka> kafka = m.of(Kafka.class).stream()
                        .filter(k -> host.equals(k.getMetadata().getName() + "-kafka-bootstrap")).findFirst();
                if (kafka.isEmpty()) {
                    out.add(where + ": KAFKA_BOOTSTRAP_SERVERS names " + host + ", which is no Kafka cluster's bootstrap Service");
                    continue;
                }
                Optional<GenericKafkaListener> listener = kafka.get().getSpec().getKafka().getListeners().stream()
                        .filter(l -> l.getPort() == port).findFirst();
                // the listener's security settings and the credentials: KafkaAccessChecks.credentials
                if (listener.isEmpty()) {
                    out.add(where + ": KAFKA_BOOTSTRAP_SERVERS port " + port + " is no listener of " + Manifest.id(kafka.get()));
                }
            }
        }
        if (name.equals(TRACING) && !TRACING_VALUES.contains(literal)) {
            out.add(where + ": " + TRACING + "=" + literal + ", but the services accept exactly \"true\" or \"false\"");
        }
        if (name.equals(OTLP_PROTOCOL) && !OTLP_PROTOCOLS.contains(literal)) {
            out.add(where + ": " + OTLP_PROTOCOL + "=" + literal + " is none of " + OTLP_PROTOCOLS);
        }
        // the endpoint is read only while tracing is on: the base points at the collector of
        // components/otel-collector, which a target without tracing leaves out
        if (tracing && OTLP_ENDPOINT.matcher(name).matches()) {
            out.addAll(otlpEndpoint(m, where, name, literal));
        }
        if (name.equals("JWT_JWKS_URL")) {
            // the JWK set is user-service's: served on its API port, like /internal/users
            out.addAll(serviceUrl(m, where, name, literal, SIGNER, false));
        }
        if (name.endsWith("_KEYS_DIR")) {
            out.addAll(keyDirectory(where, name, literal, d, c));
        }
        return out;
    }

    /**
     * A service's address: a Service of the expected name with that port, which leads to the backend's
     * management port for a management URL and to its public port for an API URL.
     */
    private static List<String> serviceUrl(Manifests m, String where, String name, String literal, String expected,
                                           boolean managementUrl) {
        List<String> out = new ArrayList<>();
        URI uri = URI.create(literal);
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        Optional<Service> service = m.service(host);
        if (service.isEmpty()) {
            out.add(where + ": " + name + "=" + literal + " names Service " + host + ", which does not exist");
            return out;
        }
        if (!host.equals(expected)) {
            out.add(where + ": " + name + " points at " + host + ", expected " + expected);
        }
        Optional<ServicePort> servicePort = list(service.get().getSpec().getPorts()).stream()
                .filter(p -> p.getPort() == port).findFirst();
        if (servicePort.isEmpty()) {
            out.add(where + ": " + name + "=" + literal + " but Service " + host + " has no port " + port);
            return out;
        }
        boolean reachesManagement = QuarkusChecks.MANAGEMENT.equals(servicePort.get().getName())
                || backendPorts(m, service.get(), servicePort.get()).stream()
                .anyMatch(p -> QuarkusChecks.MANAGEMENT.equals(p.getName()));
        if (managementUrl && !reachesManagement) {
            out.add(where + ": " + name + "=" + literal + " reaches port " + port + " of Service " + host
                    + ", which is not its management port (health is served on port `" + QuarkusChecks.MANAGEMENT + "` only)");
        } else if (!managementUrl && reachesManagement) {
            out.add(where + ": " + name + "=" + literal + " reaches the management port of Service " + host
                    + "; the API is on its public port");
        }
        return out;
    }

    /** The one switch of tracing (service-support's microprofile-config.properties, the gateway's properties). */
    static final String TRACING = "CONDUIT_TRACING";
    /** The flag picks one of two property lines: any other value stops the service at start. */
    static final Set<String> TRACING_VALUES = Set.of("true", "false");
    static final String OTLP_PROTOCOL = "OTEL_EXPORTER_OTLP_PROTOCOL";
    /** What quarkus.otel.exporter.otlp.protocol accepts. */
    static final Set<String> OTLP_PROTOCOLS = new TreeSet<>(Set.of("grpc", "http/protobuf"));

    /**
     * Whether the container traces: CONDUIT_TRACING is "true", or comes from where its value cannot be
     * read here (a Secret), in which case the endpoint is checked as if it were on.
     */
    static boolean tracing(Map<String, Value> env) {
        Value value = env.get(TRACING);
        return value != null && (value.literal() == null || value.literal().equals("true"));
    }

    /** Where a service sends its telemetry (components/otel-collector): Quarkus' variable or the SDK's, any signal. */
    static final java.util.regex.Pattern OTLP_ENDPOINT = java.util.regex.Pattern.compile(
            "(QUARKUS_)?OTEL_EXPORTER_OTLP(_TRACES|_METRICS|_LOGS)?_ENDPOINT");

    /** An OTLP endpoint inside the cluster is a Service of it, on a port that leads to a container port. */
    private static List<String> otlpEndpoint(Manifests m, String where, String name, String literal) {
        List<String> out = new ArrayList<>();
        URI uri;
        try {
            uri = URI.create(literal);
        } catch (IllegalArgumentException e) {
            return List.of(where + ": " + name + "=" + literal + " is not a URL");
        }
        if (uri.getHost() == null || uri.getPort() < 0 || !List.of("http", "https").contains(uri.getScheme())) {
            return List.of(where + ": " + name + "=" + literal + " needs http(s)://host:port");
        }
        String host = uri.getHost();
        if (host.contains(".")) {
            // outside the namespace (another namespace's Service, a hosted backend): not checkable here
            return out;
        }
        Optional<Service> service = m.service(host);
        if (service.isEmpty()) {
            out.add(where + ": " + name + "=" + literal + " names Service " + host + ", which does not exist");
            return out;
        }
        Optional<ServicePort> port = list(service.get().getSpec().getPorts()).stream()
                .filter(p -> p.getPort() == uri.getPort()).findFirst();
        if (port.isEmpty() || backendPorts(m, service.get(), port.get()).isEmpty()) {
            out.add(where + ": " + name + "=" + literal + " but Service " + host + " leads no container port from port "
                    + uri.getPort());
        }
        return out;
    }

    /** The container ports a Service port leads to, in every serving pod the Service selects. */
    static List<ContainerPort> backendPorts(Manifests m, Service service, ServicePort port) {
        IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
        return m.workloads().stream().filter(Workload::serving)
                .filter(w -> Labels.selects(service.getSpec().getSelector(), Policies.labels(w.template().getMetadata())))
                .flatMap(w -> w.template().getSpec().getContainers().stream())
                .flatMap(c -> Policies.containerPort(c, target).stream())
                .toList();
    }

    /**
     * A key folder is a Secret volume mounted read-only at exactly that path, whole (no subPath): the
     * kubelet then rewrites its files when the Secret changes, so a key rotation reaches the pod.
     */
    private static List<String> keyDirectory(String where, String name, String dir, Deployment d, Container c) {
        List<String> out = new ArrayList<>();
        Optional<VolumeMount> mount = list(c.getVolumeMounts()).stream().filter(vm -> vm.getMountPath().equals(dir)).findFirst();
        if (mount.isEmpty()) {
            out.add(where + ": " + name + "=" + dir + " but nothing is mounted there");
            return out;
        }
        Optional<Volume> volume = list(d.getSpec().getTemplate().getSpec().getVolumes()).stream()
                .filter(v -> v.getName().equals(mount.get().getName())).findFirst();
        if (volume.isEmpty() || volume.get().getSecret() == null) {
            out.add(where + ": " + name + " reads " + dir + " from volume " + mount.get().getName() + ", which is not a Secret");
            return out;
        }
        if (mount.get().getSubPath() != null) {
            out.add(where + ": key volume " + mount.get().getName() + " is mounted with subPath, which never sees a changed Secret");
        }
        if (!Boolean.TRUE.equals(mount.get().getReadOnly())) {
            out.add(where + ": key volume " + mount.get().getName() + " is not mounted readOnly");
        }
        return out;
    }

    /**
     * A file that comes from a Secret volume (of Secret {@code secret}, when not null) mounted
     * read-only, which projects exactly that file.
     */
    static List<String> secretFile(String where, String name, String path, Deployment d, Container c, String secret) {
        List<String> out = new ArrayList<>();
        String dir = path.substring(0, path.lastIndexOf('/'));
        String file = path.substring(path.lastIndexOf('/') + 1);
        Optional<VolumeMount> mount = list(c.getVolumeMounts()).stream().filter(vm -> vm.getMountPath().equals(dir)).findFirst();
        if (mount.isEmpty()) {
            out.add(where + ": " + name + " reads " + path + " but nothing is mounted at " + dir);
            return out;
        }
        Optional<Volume> volume = list(d.getSpec().getTemplate().getSpec().getVolumes()).stream()
                .filter(v -> v.getName().equals(mount.get().getName())).findFirst();
        if (volume.isEmpty() || volume.get().getSecret() == null) {
            out.add(where + ": " + name + " reads " + path + " from volume " + mount.get().getName() + ", which is not a Secret");
            return out;
        }
        if (secret != null && !secret.equals(volume.get().getSecret().getSecretName())) {
            out.add(where + ": " + name + " reads " + path + " from Secret " + volume.get().getSecret().getSecretName()
                    + "; it must come from " + secret);
        }
        List<KeyToPath> items = list(volume.get().getSecret().getItems());
        if (items.stream().noneMatch(i -> i.getPath().equals(file))) {
            out.add(where + ": " + name + " reads " + file + " but Secret volume " + volume.get().getName()
                    + " projects only " + items.stream().map(KeyToPath::getPath).toList());
        }
        if (!Boolean.TRUE.equals(mount.get().getReadOnly())) {
            out.add(where + ": key volume " + mount.get().getName() + " is not mounted readOnly");
        }
        return out;
    }

    /**
     * The key set (Secret {@value #JWT_SECRET}) reaches user-service's pods and no others, whole: a
     * key added for a rotation must reach the pod without a change to the Deployment.
     */
    static List<String> keySetOnlyInSigner(Manifests m) {
        List<String> out = new ArrayList<>();
        for (Workload w : m.workloads()) {
            for (Volume v : list(w.template().getSpec().getVolumes())) {
                if (v.getSecret() == null || !JWT_SECRET.equals(v.getSecret().getSecretName())) {
                    continue;
                }
                if (!w.name().equals(SIGNER)) {
                    out.add(w.id() + " volume " + v.getName() + ": mounts Secret " + JWT_SECRET + "; only " + SIGNER
                            + " may hold the signing keys, the others fetch its JWK set (JWT_JWKS_URL)");
                } else if (!list(v.getSecret().getItems()).isEmpty()) {
                    out.add(w.id() + " volume " + v.getName() + ": projects only some keys of Secret " + JWT_SECRET
                            + "; mount it whole, so that a key added for a rotation reaches the pod");
                }
            }
            for (Container c : Policies.allContainers(w.template().getSpec())) {
                for (EnvVar e : list(c.getEnv())) {
                    if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null
                            && JWT_SECRET.equals(e.getValueFrom().getSecretKeyRef().getName()) && !w.name().equals(SIGNER)) {
                        out.add(w.id() + " container " + c.getName() + ": reads Secret " + JWT_SECRET + "; only " + SIGNER + " may hold it");
                    }
                }
            }
        }
        return out;
    }

    /** Name -> value of every variable the container gets, from env and from envFrom ConfigMaps. */
    static Map<String, Value> environment(Manifests m, Container c) {
        Map<String, Value> env = new LinkedHashMap<>();
        for (EnvFromSource from : list(c.getEnvFrom())) {
            if (from.getConfigMapRef() != null) {
                Optional<ConfigMap> cm = m.configMap(from.getConfigMapRef().getName());
                String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                cm.ifPresent(map -> (map.getData() == null ? Map.<String, String>of() : map.getData())
                        .forEach((k, v) -> env.put(prefix + k, new Value(v, "ConfigMap " + map.getMetadata().getName()))));
            }
        }
        for (EnvVar e : list(c.getEnv())) {
            if (e.getValueFrom() == null) {
                env.put(e.getName(), new Value(e.getValue() == null ? "" : e.getValue(), "env"));
            } else if (e.getValueFrom().getSecretKeyRef() != null) {
                env.put(e.getName(), new Value(null, "Secret " + e.getValueFrom().getSecretKeyRef().getName()));
            } else if (e.getValueFrom().getConfigMapKeyRef() != null) {
                String cmName = e.getValueFrom().getConfigMapKeyRef().getName();
                String key = e.getValueFrom().getConfigMapKeyRef().getKey();
                String literal = m.configMap(cmName).map(cm -> cm.getData() == null ? null : cm.getData().get(key)).orElse(null);
                env.put(e.getName(), new Value(literal, "ConfigMap " + cmName));
            } else {
                env.put(e.getName(), new Value(null, "downward API"));
            }
        }
        return env;
    }
}

package dev.conduit.k8s;

import dev.conduit.k8s.Manifests.Manifest;
import dev.conduit.k8s.ServiceChecks.Value;
import dev.conduit.k8s.ServiceContract.Row;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.conduit.k8s.Policies.list;

/**
 * What the Quarkus apps (the services of the k8s/README.md table) need of their Deployments: health
 * and metrics on Quarkus' management interface, probes that use it, and a shutdown whose numbers add
 * up, so that a pod leaves its endpoints, drains and exits before the kubelet kills it.
 */
final class QuarkusChecks {

    /** The name of the container port, and of the Service port, of the management interface. */
    static final String MANAGEMENT = "management";
    static final String STARTED = "/q/health/started";
    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";
    /** Health groups (such as the gateway's "platform" view) aggregate other parts: never for a probe. */
    static final String GROUPS = "/q/health/group";
    /** The kubelet probes the pod IP, so the management interface listens on every address. */
    static final String ALL_INTERFACES = "0.0.0.0";
    /** How long Quarkus drains on SIGTERM (quarkus.shutdown.timeout) when a service's properties do not say. */
    static final Duration DRAIN = Duration.ofSeconds(20);
    /** Left between the end of the drain and SIGKILL, for the process to exit. */
    static final Duration MARGIN = Duration.ofSeconds(5);

    private QuarkusChecks() {
    }

    /**
     * Each app declares its management port, probes it (started, live, ready, each on port
     * {@value #MANAGEMENT} and never on the public port), listens there on every address, and its
     * Service carries the port for the gateway's platform view and for Prometheus.
     */
    static List<String> management(Manifests m, Map<String, Row> table) {
        List<String> out = new ArrayList<>();
        for (Row row : table.values()) {
            String service = row.service();
            Optional<Deployment> deployment = m.find(Deployment.class, service);
            Optional<Container> container = deployment.flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers()
                    .stream().filter(c -> c.getName().equals(service)).findFirst());
            if (container.isEmpty()) {
                // reported by the configuration check
                continue;
            }
            Container c = container.get();
            String where = Manifest.id(deployment.get()) + " container " + service;
            if (row.managementPort() == row.port()) {
                out.add(where + ": k8s/README.md gives the same port " + row.port() + " for the API and the management interface");
            }
            Optional<ContainerPort> port = list(c.getPorts()).stream().filter(p -> MANAGEMENT.equals(p.getName())).findFirst();
            if (port.isEmpty()) {
                out.add(where + ": declares no container port named " + MANAGEMENT + " (" + row.managementPort()
                        + "); health and metrics are served there only");
            } else if (port.get().getContainerPort() != row.managementPort()) {
                out.add(where + ": container port " + MANAGEMENT + " is " + port.get().getContainerPort()
                        + " but k8s/README.md says " + row.managementPort());
            }
            probe(where, "startupProbe", c.getStartupProbe(), STARTED, c, out);
            probe(where, "livenessProbe", c.getLivenessProbe(), LIVE, c, out);
            probe(where, "readinessProbe", c.getReadinessProbe(), READY, c, out);

            Map<String, Value> env = ServiceChecks.environment(m, c);
            Value host = env.get("QUARKUS_MANAGEMENT_HOST");
            if (host == null || !ALL_INTERFACES.equals(host.literal())) {
                out.add(where + ": QUARKUS_MANAGEMENT_HOST is " + (host == null ? "not set" : host.literal())
                        + "; the kubelet probes the pod IP, so the management interface must listen on " + ALL_INTERFACES);
            }
            Value managementPort = env.get("QUARKUS_MANAGEMENT_PORT");
            if (managementPort != null && !String.valueOf(row.managementPort()).equals(managementPort.literal())) {
                out.add(where + ": QUARKUS_MANAGEMENT_PORT=" + managementPort.literal() + " but the probes and k8s/README.md use "
                        + row.managementPort());
            }
            String properties = service + "/src/main/resources/application.properties";
            if (ServiceContract.property(service, "quarkus.management.enabled").filter("false"::equals).isPresent()) {
                out.add(where + ": " + properties + " turns the management interface off; the probes would find nothing on "
                        + row.managementPort());
            }
            ServiceContract.property(service, "quarkus.management.port")
                    .filter(p -> p.matches("\\d+") && Integer.parseInt(p) != row.managementPort())
                    .ifPresent(p -> out.add(where + ": " + properties + " has quarkus.management.port " + p
                            + " but k8s/README.md says " + row.managementPort()));

            Optional<Service> svc = m.service(service);
            Optional<ServicePort> servicePort = svc.flatMap(s -> list(s.getSpec().getPorts()).stream()
                    .filter(p -> MANAGEMENT.equals(p.getName())).findFirst());
            if (svc.isEmpty()) {
                out.add("Service " + service + " is missing");
            } else if (servicePort.isEmpty()) {
                out.add(Manifest.id(svc.get()) + ": has no port named " + MANAGEMENT
                        + "; the gateway's platform view and Prometheus reach health and metrics through it");
            } else {
                if (servicePort.get().getPort() != row.managementPort()) {
                    out.add(Manifest.id(svc.get()) + " port " + MANAGEMENT + ": is " + servicePort.get().getPort()
                            + ", k8s/README.md says " + row.managementPort());
                }
                if (ServiceChecks.backendPorts(m, svc.get(), servicePort.get()).stream().noneMatch(p -> MANAGEMENT.equals(p.getName()))) {
                    out.add(Manifest.id(svc.get()) + " port " + MANAGEMENT + ": does not lead to the container port "
                            + MANAGEMENT + " of " + service);
                }
            }
        }
        return out;
    }

    private static void probe(String where, String kind, Probe probe, String path, Container c, List<String> out) {
        if (probe == null) {
            out.add(where + ": no " + kind + " (" + path + " on port " + MANAGEMENT + ")");
            return;
        }
        HTTPGetAction get = probe.getHttpGet();
        if (get == null) {
            out.add(where + ": " + kind + " must be an httpGet of " + path + " on port " + MANAGEMENT);
            return;
        }
        if (!path.equals(get.getPath())) {
            out.add(where + ": " + kind + " calls " + get.getPath() + "; it must call " + path);
        }
        Optional<ContainerPort> port = get.getPort() == null ? Optional.empty() : Policies.containerPort(c, get.getPort());
        if (port.isEmpty() || !MANAGEMENT.equals(port.get().getName())) {
            out.add(where + ": " + kind + " targets port " + (get.getPort() == null ? "<none>" : Policies.text(get.getPort()))
                    + "; health is served on port " + MANAGEMENT + " only, never on the public port");
        }
    }

    /**
     * On deletion the pod leaves its Service's endpoints while the kubelet runs the preStop sleep;
     * then SIGTERM, and Quarkus drains for up to quarkus.shutdown.timeout; SIGKILL comes at
     * terminationGracePeriodSeconds. So the grace period must hold sleep + drain + margin, and the
     * hook must be Kubernetes' sleep action: a native image has no shell and no sleep binary.
     */
    static List<String> shutdown(Manifests m, Map<String, Row> table) {
        List<String> out = new ArrayList<>();
        for (Row row : table.values()) {
            String service = row.service();
            Optional<Deployment> deployment = m.find(Deployment.class, service);
            if (deployment.isEmpty()) {
                continue;
            }
            String id = Manifest.id(deployment.get());
            Long grace = deployment.get().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
            String properties = service + "/src/main/resources/application.properties";
            Optional<String> configured = ServiceContract.property(service, "quarkus.shutdown.timeout");
            Duration drain = configured.map(ServiceContract::duration).orElse(DRAIN);
            if (configured.isPresent() && drain == null) {
                out.add(id + ": " + properties + " has quarkus.shutdown.timeout=" + configured.get() + ", which is no duration");
                continue;
            }
            String drainSource = configured.isPresent() ? "quarkus.shutdown.timeout in " + properties
                    : "quarkus.shutdown.timeout, " + DRAIN.toSeconds() + " s for every app";
            for (Container c : deployment.get().getSpec().getTemplate().getSpec().getContainers()) {
                String where = id + " container " + c.getName();
                LifecycleHandler preStop = c.getLifecycle() == null ? null : c.getLifecycle().getPreStop();
                long sleep;
                if (preStop == null) {
                    out.add(where + ": no lifecycle.preStop; SIGTERM would come while the endpoints still send requests"
                            + " (use preStop.sleep)");
                    sleep = 0;
                } else if (preStop.getExec() != null) {
                    out.add(where + ": lifecycle.preStop runs a command; a native image has no shell and no sleep binary"
                            + " (use preStop.sleep)");
                    sleep = 0;
                } else if (preStop.getSleep() == null || preStop.getSleep().getSeconds() == null
                        || preStop.getSleep().getSeconds() < 1) {
                    out.add(where + ": lifecycle.preStop must be the sleep action, at least 1 s, while the endpoints drop the pod");
                    sleep = 0;
                } else {
                    sleep = preStop.getSleep().getSeconds();
                }
                long needed = sleep + drain.toSeconds() + MARGIN.toSeconds();
                if (grace == null) {
                    out.add(where + ": terminationGracePeriodSeconds is not set; state it (at least " + needed
                            + " s) next to the preStop sleep and the drain it must cover");
                } else if (grace < needed) {
                    out.add(where + ": terminationGracePeriodSeconds " + grace + " < preStop sleep " + sleep + " s + drain "
                            + drain.toSeconds() + " s (" + drainSource + ") + margin " + MARGIN.toSeconds()
                            + " s: SIGKILL would cut the drain short");
                }
            }
        }
        return out;
    }
}

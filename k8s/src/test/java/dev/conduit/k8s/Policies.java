package dev.conduit.k8s;

import dev.conduit.k8s.Manifests.Manifest;
import dev.conduit.k8s.Manifests.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.strimzi.api.kafka.model.common.template.ContainerTemplate;
import io.strimzi.api.kafka.model.common.template.PodTemplate;
import io.strimzi.api.kafka.model.kafka.JbodStorage;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaClusterSpec;
import io.strimzi.api.kafka.model.kafka.PersistentClaimStorage;
import io.strimzi.api.kafka.model.kafka.SingleVolumeStorage;
import io.strimzi.api.kafka.model.kafka.Storage;
import io.strimzi.api.kafka.model.kafka.entityoperator.EntityOperatorSpec;
import io.strimzi.api.kafka.model.kafka.entityoperator.EntityOperatorTemplate;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rules every rendered target must follow. Each check returns its violations, one line each,
 * naming the object (kind, namespace/name, container) and what is wrong; none means it passes.
 */
final class Policies {

    /** Label keys that change with every release: never in a selector. */
    static final Set<String> VERSION_LABELS = Set.of("version", "app.kubernetes.io/version", "helm.sh/chart",
            "pod-template-hash", "controller-revision-hash");

    private Policies() {
    }

    // ---- namespace ----------------------------------------------------------------------------

    /** Every object lands in the Namespace the target declares, never in whatever kubectl's context says. */
    static List<String> namespaces(Manifests m) {
        List<String> out = new ArrayList<>();
        List<String> declared = m.of(io.fabric8.kubernetes.api.model.Namespace.class).stream()
                .map(ns -> ns.getMetadata().getName()).toList();
        if (declared.size() != 1) {
            out.add("expected exactly one Namespace, found " + declared);
            return out;
        }
        String namespace = declared.get(0);
        for (Manifest o : m.all) {
            if (o.typed() instanceof io.fabric8.kubernetes.api.model.Namespace) {
                continue;
            }
            if (!namespace.equals(o.typed().getMetadata().getNamespace())) {
                out.add(o.id() + ": not in namespace " + namespace + " (metadata.namespace is "
                        + o.typed().getMetadata().getNamespace() + "); set `namespace:` in the kustomization");
            }
        }
        return out;
    }

    // ---- images -------------------------------------------------------------------------------

    static List<String> pinnedImages(Manifests m) {
        List<String> out = new ArrayList<>();
        for (Workload w : m.workloads()) {
            for (Container c : allContainers(w.template().getSpec())) {
                String problem = imageProblem(c.getImage());
                if (problem != null) {
                    out.add(w.id() + " container " + c.getName() + ": image '" + c.getImage() + "' " + problem);
                }
            }
        }
        return out;
    }

    /** Null when the image reference is pinned: an explicit tag that is not `latest`, or a digest. */
    static String imageProblem(String image) {
        if (image == null || image.isBlank()) {
            return "is missing";
        }
        if (image.contains("@sha256:")) {
            return null;
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        if (colon < 0) {
            return "has no tag (it would mean `latest`)";
        }
        String tag = last.substring(colon + 1);
        if (tag.isBlank() || tag.equalsIgnoreCase("latest")) {
            return "uses the moving tag `" + tag + "`";
        }
        return null;
    }

    // ---- probes -------------------------------------------------------------------------------

    static List<String> probes(Manifests m) {
        List<String> out = new ArrayList<>();
        for (Workload w : m.workloads()) {
            if (!w.serving()) {
                continue;
            }
            for (Container c : w.template().getSpec().getContainers()) {
                String where = w.id() + " container " + c.getName();
                if (c.getLivenessProbe() == null) {
                    out.add(where + ": no livenessProbe");
                }
                if (c.getReadinessProbe() == null) {
                    out.add(where + ": no readinessProbe");
                }
                for (Probe probe : Stream.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())
                        .filter(Objects::nonNull).toList()) {
                    String problem = probeProblem(probe, c);
                    if (problem != null) {
                        out.add(where + ": " + problem);
                    }
                }
                Probe liveness = c.getLivenessProbe();
                if (liveness != null && liveness.getHttpGet() != null) {
                    String path = liveness.getHttpGet().getPath();
                    if (path != null && path.startsWith("/q/health") && !path.equals("/q/health/live")) {
                        out.add(where + ": livenessProbe calls " + path
                                + ", which does I/O; liveness must be /q/health/live");
                    }
                }
                Probe readiness = c.getReadinessProbe();
                if (readiness != null && readiness.getHttpGet() != null
                        && "/q/health/live".equals(readiness.getHttpGet().getPath())) {
                    out.add(where + ": readinessProbe calls /q/health/live; readiness must be /q/health/ready");
                }
                for (Probe probe : Stream.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())
                        .filter(Objects::nonNull).toList()) {
                    String path = probe.getHttpGet() == null ? null : probe.getHttpGet().getPath();
                    if (path != null && path.startsWith(QuarkusChecks.GROUPS)) {
                        out.add(where + ": a probe calls " + path + "; a health group aggregates other parts (for people and"
                                + " dashboards), so one part down would take this pod out too");
                    }
                }
            }
        }
        return out;
    }

    private static String probeProblem(Probe probe, Container c) {
        long handlers = Stream.of(probe.getHttpGet(), probe.getTcpSocket(), probe.getExec(), probe.getGrpc())
                .filter(Objects::nonNull).count();
        if (handlers != 1) {
            return "a probe must have exactly one of httpGet, tcpSocket, exec, grpc (has " + handlers + ")";
        }
        IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
                : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort() : null;
        if (port != null && containerPort(c, port).isEmpty()) {
            return "a probe targets port " + text(port) + ", which the container does not declare";
        }
        return null;
    }

    // ---- resources ----------------------------------------------------------------------------

    static List<String> resources(Manifests m) {
        List<String> out = new ArrayList<>();
        for (Workload w : m.workloads()) {
            for (Container c : allContainers(w.template().getSpec())) {
                resourceProblems(c.getResources()).forEach(p -> out.add(w.id() + " container " + c.getName() + ": " + p));
            }
        }
        for (KafkaNodePool pool : m.of(KafkaNodePool.class)) {
            resourceProblems(pool.getSpec().getResources()).forEach(p -> out.add(Manifest.id(pool) + ": " + p));
        }
        for (Kafka kafka : m.of(Kafka.class)) {
            EntityOperatorSpec eo = kafka.getSpec().getEntityOperator();
            if (eo != null && eo.getTopicOperator() != null) {
                resourceProblems(eo.getTopicOperator().getResources())
                        .forEach(p -> out.add(Manifest.id(kafka) + " entityOperator.topicOperator: " + p));
            }
            if (eo != null && eo.getUserOperator() != null) {
                resourceProblems(eo.getUserOperator().getResources())
                        .forEach(p -> out.add(Manifest.id(kafka) + " entityOperator.userOperator: " + p));
            }
        }
        return out;
    }

    private static List<String> resourceProblems(ResourceRequirements r) {
        List<String> out = new ArrayList<>();
        Map<String, Quantity> requests = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
        Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
        for (String resource : List.of("cpu", "memory")) {
            if (!requests.containsKey(resource)) {
                out.add("no " + resource + " request");
            }
            if (!limits.containsKey(resource)) {
                out.add("no " + resource + " limit");
            }
            if (requests.containsKey(resource) && limits.containsKey(resource)) {
                BigDecimal request = Quantity.getAmountInBytes(requests.get(resource));
                BigDecimal limit = Quantity.getAmountInBytes(limits.get(resource));
                if (request.compareTo(limit) > 0) {
                    out.add(resource + " request " + requests.get(resource) + " exceeds its limit " + limits.get(resource));
                }
            }
        }
        return out;
    }

    // ---- hardening ----------------------------------------------------------------------------

    static List<String> hardening(Manifests m) {
        List<String> out = new ArrayList<>();
        for (Workload w : m.workloads()) {
            PodSpec pod = w.template().getSpec();
            PodSecurityContext psc = pod.getSecurityContext();
            if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                    || Boolean.TRUE.equals(pod.getHostIPC())) {
                out.add(w.id() + ": shares a host namespace (hostNetwork/hostPID/hostIPC)");
            }
            for (Volume v : list(pod.getVolumes())) {
                if (v.getHostPath() != null) {
                    out.add(w.id() + " volume " + v.getName() + ": hostPath volumes are not allowed");
                }
            }
            if (psc != null && Long.valueOf(0).equals(psc.getRunAsUser())) {
                out.add(w.id() + ": pod runAsUser is 0 (root)");
            }
            boolean podSeccomp = psc != null && psc.getSeccompProfile() != null
                    && "RuntimeDefault".equals(psc.getSeccompProfile().getType());
            boolean podNonRoot = psc != null && Boolean.TRUE.equals(psc.getRunAsNonRoot());
            for (Container c : allContainers(pod)) {
                SecurityContext sc = c.getSecurityContext();
                String where = w.id() + " container " + c.getName();
                containerHardening(sc).forEach(p -> out.add(where + ": " + p));
                boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podNonRoot;
                if (!nonRoot) {
                    out.add(where + ": runAsNonRoot is not true (neither on the container nor on the pod)");
                }
                boolean seccomp = sc != null && sc.getSeccompProfile() != null
                        ? "RuntimeDefault".equals(sc.getSeccompProfile().getType()) : podSeccomp;
                if (!seccomp) {
                    out.add(where + ": seccompProfile is not RuntimeDefault");
                }
            }
        }
        for (Kafka kafka : m.of(Kafka.class)) {
            String id = Manifest.id(kafka);
            KafkaClusterSpec spec = kafka.getSpec().getKafka();
            var template = spec.getTemplate();
            strimziPod(template == null ? null : template.getPod()).forEach(p -> out.add(id + " spec.kafka.template.pod: " + p));
            ContainerTemplate kafkaContainer = template == null ? null : template.getKafkaContainer();
            containerHardening(kafkaContainer == null ? null : kafkaContainer.getSecurityContext())
                    .forEach(p -> out.add(id + " spec.kafka.template.kafkaContainer: " + p));
            EntityOperatorSpec eo = kafka.getSpec().getEntityOperator();
            if (eo != null) {
                EntityOperatorTemplate eot = eo.getTemplate();
                strimziPod(eot == null ? null : eot.getPod()).forEach(p -> out.add(id + " spec.entityOperator.template.pod: " + p));
                if (eo.getTopicOperator() != null) {
                    ContainerTemplate to = eot == null ? null : eot.getTopicOperatorContainer();
                    containerHardening(to == null ? null : to.getSecurityContext())
                            .forEach(p -> out.add(id + " spec.entityOperator.template.topicOperatorContainer: " + p));
                }
                if (eo.getUserOperator() != null) {
                    ContainerTemplate uo = eot == null ? null : eot.getUserOperatorContainer();
                    containerHardening(uo == null ? null : uo.getSecurityContext())
                            .forEach(p -> out.add(id + " spec.entityOperator.template.userOperatorContainer: " + p));
                }
            }
        }
        for (KafkaNodePool pool : m.of(KafkaNodePool.class)) {
            var template = pool.getSpec().getTemplate();
            // a node pool's template replaces the Kafka resource's: it must carry the hardening too
            if (template != null && template.getPod() != null) {
                strimziPod(template.getPod()).forEach(p -> out.add(Manifest.id(pool) + " spec.template.pod: " + p));
            }
            if (template != null && template.getKafkaContainer() != null) {
                containerHardening(template.getKafkaContainer().getSecurityContext())
                        .forEach(p -> out.add(Manifest.id(pool) + " spec.template.kafkaContainer: " + p));
            }
        }
        return out;
    }

    private static List<String> strimziPod(PodTemplate pod) {
        PodSecurityContext psc = pod == null ? null : pod.getSecurityContext();
        List<String> out = new ArrayList<>();
        if (psc == null || !Boolean.TRUE.equals(psc.getRunAsNonRoot())) {
            out.add("securityContext.runAsNonRoot is not true");
        }
        if (psc == null || psc.getSeccompProfile() == null || !"RuntimeDefault".equals(psc.getSeccompProfile().getType())) {
            out.add("securityContext.seccompProfile is not RuntimeDefault");
        }
        return out;
    }

    private static List<String> containerHardening(SecurityContext sc) {
        List<String> out = new ArrayList<>();
        if (sc == null) {
            out.add("no securityContext");
            return out;
        }
        if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
            out.add("allowPrivilegeEscalation is not false");
        }
        if (Boolean.TRUE.equals(sc.getPrivileged())) {
            out.add("privileged");
        }
        if (!Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
            out.add("readOnlyRootFilesystem is not true");
        }
        if (sc.getCapabilities() == null || !list(sc.getCapabilities().getDrop()).contains("ALL")) {
            out.add("capabilities do not drop ALL");
        }
        if (sc.getCapabilities() != null && !list(sc.getCapabilities().getAdd()).isEmpty()) {
            out.add("adds capabilities " + sc.getCapabilities().getAdd());
        }
        if (Long.valueOf(0).equals(sc.getRunAsUser())) {
            out.add("runAsUser is 0 (root)");
        }
        return out;
    }

    // ---- selectors ----------------------------------------------------------------------------

    static List<String> selectors(Manifests m) {
        List<String> out = new ArrayList<>();
        List<Workload> workloads = m.workloads();
        for (Workload w : workloads) {
            LabelSelector selector = selectorOf(w.owner());
            Map<String, String> labels = labels(w.template().getMetadata());
            if (selector != null && !Labels.selects(selector, labels)) {
                out.add(w.id() + ": spec.selector " + describe(selector) + " does not match its own pod template labels " + labels);
            }
            if (selector != null) {
                keys(selector).stream().filter(VERSION_LABELS::contains)
                        .forEach(k -> out.add(w.id() + ": selector uses version label '" + k + "'"));
                if (!w.name().equals(matchLabel(selector, "app"))) {
                    out.add(w.id() + ": selector must be the stable `app: " + w.name() + "`, is " + describe(selector));
                }
            }
            if (!w.name().equals(labels.get("app"))) {
                out.add(w.id() + ": pod template lacks label app=" + w.name());
            }
        }
        for (Service s : m.of(Service.class)) {
            Map<String, String> selector = s.getSpec().getSelector();
            String id = Manifest.id(s);
            if (selector == null || selector.isEmpty()) {
                out.add(id + ": has no selector");
                continue;
            }
            selector.keySet().stream().filter(VERSION_LABELS::contains)
                    .forEach(k -> out.add(id + ": selector uses version label '" + k + "'"));
            List<Workload> backends = workloads.stream().filter(Workload::serving)
                    .filter(w -> Labels.selects(selector, labels(w.template().getMetadata()))).toList();
            if (backends.isEmpty()) {
                out.add(id + ": selector " + selector + " matches no pod template");
                continue;
            }
            for (ServicePort port : list(s.getSpec().getPorts())) {
                IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
                for (Workload w : backends) {
                    boolean found = w.template().getSpec().getContainers().stream()
                            .anyMatch(c -> containerPort(c, target).isPresent());
                    if (!found) {
                        out.add(id + " port " + port.getPort() + ": targetPort " + text(target)
                                + " is not a container port of " + w.id());
                    }
                }
            }
        }
        for (PodDisruptionBudget pdb : m.of(PodDisruptionBudget.class)) {
            LabelSelector selector = pdb.getSpec().getSelector();
            if (Labels.isEmpty(selector) || workloads.stream().noneMatch(w -> Labels.selects(selector, labels(w.template().getMetadata())))) {
                out.add(Manifest.id(pdb) + ": selector " + describe(selector) + " matches no pod template");
            }
        }
        for (HorizontalPodAutoscaler hpa : m.of(HorizontalPodAutoscaler.class)) {
            var ref = hpa.getSpec().getScaleTargetRef();
            Optional<Workload> target = workloads.stream()
                    .filter(w -> w.owner().getKind().equals(ref.getKind()) && w.name().equals(ref.getName())).findFirst();
            if (target.isEmpty()) {
                out.add(Manifest.id(hpa) + ": scaleTargetRef " + ref.getKind() + "/" + ref.getName() + " does not exist");
            } else if (target.get().owner() instanceof Deployment d && d.getSpec().getReplicas() != null) {
                out.add(Manifest.id(d) + ": sets spec.replicas although " + Manifest.id(hpa)
                        + " scales it (every apply would reset the autoscaler)");
            }
        }
        for (NetworkPolicy np : m.of(NetworkPolicy.class)) {
            LabelSelector selector = np.getSpec().getPodSelector();
            if (!Labels.isEmpty(selector) && NetworkModel.pods(m).stream().noneMatch(p -> Labels.selects(selector, p.labels()))) {
                out.add(Manifest.id(np) + ": podSelector " + describe(selector) + " matches no pod");
            }
        }
        return out;
    }

    // ---- references ---------------------------------------------------------------------------

    /**
     * Every ConfigMap and Secret a pod or Ingress refers to exists, or (Secrets only) is created by
     * hand or by the Strimzi operators (a KafkaUser's, a cluster's CA certificate).
     */
    static List<String> references(Manifests m, Set<String> documentedSecrets) {
        List<String> out = new ArrayList<>();
        Set<String> secrets = new HashSet<>(documentedSecrets);
        m.of(Secret.class).forEach(s -> secrets.add(s.getMetadata().getName()));
        secrets.addAll(KafkaAccessChecks.generatedSecrets(m));
        for (Workload w : m.workloads()) {
            PodSpec pod = w.template().getSpec();
            for (Container c : allContainers(pod)) {
                String where = w.id() + " container " + c.getName();
                for (EnvFromSource from : list(c.getEnvFrom())) {
                    if (from.getConfigMapRef() != null) {
                        configMapExists(m, from.getConfigMapRef().getName(), from.getConfigMapRef().getOptional(), where, out);
                    }
                    if (from.getSecretRef() != null) {
                        out.add(where + ": envFrom a Secret hides which keys it sets; use env with secretKeyRef");
                    }
                }
                for (EnvVar env : list(c.getEnv())) {
                    if (env.getValueFrom() == null) {
                        continue;
                    }
                    var cmKey = env.getValueFrom().getConfigMapKeyRef();
                    if (cmKey != null && configMapExists(m, cmKey.getName(), cmKey.getOptional(), where, out)) {
                        Map<String, String> data = m.configMap(cmKey.getName()).get().getData();
                        if (data == null || !data.containsKey(cmKey.getKey())) {
                            out.add(where + " env " + env.getName() + ": ConfigMap " + cmKey.getName() + " has no key " + cmKey.getKey());
                        }
                    }
                    var secretKey = env.getValueFrom().getSecretKeyRef();
                    if (secretKey != null && !secrets.contains(secretKey.getName())) {
                        out.add(where + " env " + env.getName() + ": Secret " + secretKey.getName()
                                + " is neither in the manifests nor created by hand (k8s/create-secrets.sh) nor by Strimzi");
                    }
                }
            }
            for (Volume v : list(pod.getVolumes())) {
                String where = w.id() + " volume " + v.getName();
                if (v.getConfigMap() != null) {
                    configMapExists(m, v.getConfigMap().getName(), v.getConfigMap().getOptional(), where, out);
                }
                if (v.getSecret() != null && !secrets.contains(v.getSecret().getSecretName())) {
                    out.add(where + ": Secret " + v.getSecret().getSecretName()
                            + " is neither in the manifests nor created by hand (k8s/create-secrets.sh)");
                }
                if (v.getProjected() != null) {
                    for (VolumeProjection p : list(v.getProjected().getSources())) {
                        if (p.getConfigMap() != null) {
                            configMapExists(m, p.getConfigMap().getName(), p.getConfigMap().getOptional(), where, out);
                        }
                        if (p.getSecret() != null && !secrets.contains(p.getSecret().getName())) {
                            out.add(where + ": Secret " + p.getSecret().getName()
                                    + " is neither in the manifests nor created by hand (k8s/create-secrets.sh)");
                        }
                    }
                }
            }
        }
        for (Ingress ingress : m.of(Ingress.class)) {
            for (IngressTLS tls : list(ingress.getSpec().getTls())) {
                if (!secrets.contains(tls.getSecretName())) {
                    out.add(Manifest.id(ingress) + ": TLS Secret " + tls.getSecretName()
                            + " is neither in the manifests nor created by hand (k8s/create-secrets.sh)");
                }
            }
        }
        return out;
    }

    private static boolean configMapExists(Manifests m, String name, Boolean optional, String where, List<String> out) {
        if (m.configMap(name).isPresent()) {
            return true;
        }
        if (!Boolean.TRUE.equals(optional)) {
            out.add(where + ": ConfigMap " + name + " does not exist");
        }
        return false;
    }

    // ---- service accounts ---------------------------------------------------------------------

    static List<String> serviceAccounts(Manifests m) {
        List<String> out = new ArrayList<>();
        Map<String, String> usedBy = new HashMap<>();
        for (Workload w : m.workloads()) {
            PodSpec pod = w.template().getSpec();
            String sa = pod.getServiceAccountName();
            if (sa == null || sa.isBlank() || sa.equals("default")) {
                out.add(w.id() + ": runs as the default ServiceAccount; give it its own");
                continue;
            }
            String other = usedBy.putIfAbsent(sa, w.id());
            if (other != null) {
                out.add(w.id() + ": shares ServiceAccount " + sa + " with " + other);
            }
            Optional<ServiceAccount> account = m.find(ServiceAccount.class, sa);
            if (account.isEmpty()) {
                out.add(w.id() + ": ServiceAccount " + sa + " does not exist");
            } else if (!Boolean.FALSE.equals(account.get().getAutomountServiceAccountToken())) {
                out.add(Manifest.id(account.get()) + ": automountServiceAccountToken is not false");
            }
            if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
                out.add(w.id() + ": automountServiceAccountToken is not false: the pod would get an API token");
            }
        }
        m.of(RoleBinding.class).forEach(b -> out.add(Manifest.id(b) + ": no workload of Conduit needs Kubernetes API access"));
        m.of(ClusterRoleBinding.class).forEach(b -> out.add(Manifest.id(b) + ": no workload of Conduit needs Kubernetes API access"));
        return out;
    }

    // ---- exposure -----------------------------------------------------------------------------

    /** Only the gateway is reachable from outside, and only its public paths. */
    static List<String> exposure(Manifests m, String publicService) {
        List<String> out = new ArrayList<>();
        for (Service s : m.of(Service.class)) {
            String type = s.getSpec().getType();
            if (type != null && !type.equals("ClusterIP")) {
                out.add(Manifest.id(s) + ": type " + type + " exposes it outside the cluster; only the Ingress may");
            }
        }
        List<Ingress> ingresses = m.of(Ingress.class);
        if (ingresses.size() != 1) {
            out.add("expected exactly one Ingress (for " + publicService + "), found " + ingresses.size());
        }
        for (Ingress ingress : ingresses) {
            String id = Manifest.id(ingress);
            if (ingress.getSpec().getDefaultBackend() != null) {
                out.add(id + ": has a defaultBackend; route public paths explicitly");
            }
            for (IngressRule rule : list(ingress.getSpec().getRules())) {
                if (rule.getHttp() == null) {
                    continue;
                }
                for (HTTPIngressPath path : list(rule.getHttp().getPaths())) {
                    IngressServiceBackend backend = path.getBackend().getService();
                    if (backend == null || !publicService.equals(backend.getName())) {
                        out.add(id + " path " + path.getPath() + ": routes to "
                                + (backend == null ? "a non-Service backend" : backend.getName()) + "; only " + publicService + " is public");
                        continue;
                    }
                    String p = path.getPath() == null ? "/" : path.getPath();
                    if (p.equals("/") || p.equals("/q") || p.equals("/q/") || p.startsWith("/q/metrics")
                            || p.startsWith("/q/health")) {
                        out.add(id + " path " + p + " (" + path.getPathType() + "): would publish internal endpoints such as"
                                + " /q/metrics; health and metrics live on the management port, which is never public");
                    }
                    Optional<Service> service = m.service(backend.getName());
                    Optional<ServicePort> port = service.flatMap(s -> list(s.getSpec().getPorts()).stream()
                            .filter(sp -> backend.getPort() != null && (backend.getPort().getName() != null
                                    ? backend.getPort().getName().equals(sp.getName())
                                    : Objects.equals(backend.getPort().getNumber(), sp.getPort()))).findFirst());
                    if (service.isEmpty()) {
                        out.add(id + " path " + p + ": Service " + backend.getName() + " does not exist");
                    } else if (backend.getPort() != null && port.isEmpty()) {
                        out.add(id + " path " + p + ": Service " + backend.getName() + " has no port "
                                + (backend.getPort().getName() != null ? backend.getPort().getName() : backend.getPort().getNumber()));
                    } else if (port.isPresent() && (QuarkusChecks.MANAGEMENT.equals(port.get().getName())
                            || ServiceChecks.backendPorts(m, service.get(), port.get()).stream()
                            .anyMatch(cp -> QuarkusChecks.MANAGEMENT.equals(cp.getName())))) {
                        out.add(id + " path " + p + ": routes to the management port " + port.get().getPort() + " of Service "
                                + backend.getName() + "; health and metrics are never public");
                    }
                }
            }
        }
        return out;
    }

    // ---- storage ------------------------------------------------------------------------------

    static List<String> storage(Manifests m) {
        List<String> out = new ArrayList<>();
        for (Workload w : m.workloads()) {
            for (Volume v : list(w.template().getSpec().getVolumes())) {
                if (v.getEmptyDir() != null && v.getEmptyDir().getSizeLimit() == null) {
                    out.add(w.id() + " volume " + v.getName() + ": emptyDir without sizeLimit");
                }
            }
        }
        for (StatefulSet s : m.of(StatefulSet.class)) {
            String id = Manifest.id(s);
            List<PersistentVolumeClaim> claims = list(s.getSpec().getVolumeClaimTemplates());
            if (claims.isEmpty()) {
                out.add(id + ": stateful data must live on persistent volumes (no volumeClaimTemplates)");
            }
            for (PersistentVolumeClaim claim : claims) {
                String name = claim.getMetadata().getName();
                var requests = claim.getSpec().getResources() == null ? null : claim.getSpec().getResources().getRequests();
                if (requests == null || !requests.containsKey("storage")) {
                    out.add(id + " volumeClaimTemplate " + name + ": no storage request");
                }
                boolean mounted = allContainers(s.getSpec().getTemplate().getSpec()).stream()
                        .flatMap(c -> list(c.getVolumeMounts()).stream()).anyMatch(vm -> vm.getName().equals(name));
                if (!mounted) {
                    out.add(id + " volumeClaimTemplate " + name + ": mounted by no container");
                }
                if (list(s.getSpec().getTemplate().getSpec().getVolumes()).stream().anyMatch(v -> v.getName().equals(name))) {
                    out.add(id + " volume " + name + ": a pod volume shadows the volumeClaimTemplate of the same name");
                }
            }
        }
        for (KafkaNodePool pool : m.of(KafkaNodePool.class)) {
            Storage storage = pool.getSpec().getStorage();
            List<SingleVolumeStorage> volumes = storage instanceof JbodStorage jbod ? list(jbod.getVolumes())
                    : storage instanceof SingleVolumeStorage single ? List.of(single) : List.of();
            if (volumes.isEmpty() || volumes.stream().anyMatch(v -> !(v instanceof PersistentClaimStorage))) {
                out.add(Manifest.id(pool) + ": Kafka data must be on persistent-claim storage, never ephemeral");
            }
        }
        return out;
    }

    // ---- Kafka --------------------------------------------------------------------------------

    static List<String> kafka(Manifests m, Set<String> requiredTopics) {
        List<String> out = new ArrayList<>();
        Map<String, Integer> brokers = new HashMap<>();
        Map<String, Integer> controllers = new HashMap<>();
        Set<String> clusters = new HashSet<>();
        m.of(Kafka.class).forEach(k -> clusters.add(k.getMetadata().getName()));
        for (KafkaNodePool pool : m.of(KafkaNodePool.class)) {
            String cluster = labels(pool.getMetadata()).get("strimzi.io/cluster");
            if (!clusters.contains(cluster)) {
                out.add(Manifest.id(pool) + ": label strimzi.io/cluster=" + cluster + " names no Kafka resource");
                continue;
            }
            if (pool.getSpec().getRoles().contains(ProcessRoles.BROKER)) {
                brokers.merge(cluster, pool.getSpec().getReplicas(), Integer::sum);
            }
            if (pool.getSpec().getRoles().contains(ProcessRoles.CONTROLLER)) {
                controllers.merge(cluster, pool.getSpec().getReplicas(), Integer::sum);
            }
        }
        for (Kafka kafka : m.of(Kafka.class)) {
            String name = kafka.getMetadata().getName();
            String id = Manifest.id(kafka);
            int b = brokers.getOrDefault(name, 0);
            int c = controllers.getOrDefault(name, 0);
            if (b == 0) {
                out.add(id + ": no KafkaNodePool with the broker role");
            }
            if (c == 0 || c % 2 == 0) {
                out.add(id + ": needs an odd number of KRaft controllers, has " + c);
            }
            Map<String, Object> config = kafka.getSpec().getKafka().getConfig() == null ? Map.of() : kafka.getSpec().getKafka().getConfig();
            for (String key : List.of("default.replication.factor", "offsets.topic.replication.factor",
                    "transaction.state.log.replication.factor")) {
                Integer rf = integer(config.get(key));
                if (rf == null) {
                    out.add(id + ": config " + key + " is not set");
                } else if (rf > b) {
                    out.add(id + ": config " + key + "=" + rf + " but only " + b + " broker(s)");
                }
            }
            Integer minIsr = integer(config.get("min.insync.replicas"));
            Integer rf = integer(config.get("default.replication.factor"));
            if (minIsr != null && rf != null && rf > 1 && minIsr >= rf) {
                out.add(id + ": min.insync.replicas=" + minIsr + " leaves no room for one broker to be down (replication " + rf + ")");
            }
        }
        Set<String> declared = new HashSet<>();
        for (KafkaTopic topic : m.of(KafkaTopic.class)) {
            String id = Manifest.id(topic);
            String name = topic.getSpec().getTopicName() != null ? topic.getSpec().getTopicName() : topic.getMetadata().getName();
            declared.add(name);
            String cluster = labels(topic.getMetadata()).get("strimzi.io/cluster");
            if (!clusters.contains(cluster)) {
                out.add(id + ": label strimzi.io/cluster=" + cluster + " names no Kafka resource");
                continue;
            }
            Integer replicas = topic.getSpec().getReplicas();
            Integer partitions = topic.getSpec().getPartitions();
            if (replicas == null || partitions == null) {
                out.add(id + ": partitions and replicas must be declared, not left to broker defaults");
                continue;
            }
            int b = brokers.getOrDefault(cluster, 0);
            if (replicas > b) {
                out.add(id + ": replicas " + replicas + " but cluster " + cluster + " has " + b + " broker(s)");
            }
            Integer isr = integer(topic.getSpec().getConfig() == null ? null : topic.getSpec().getConfig().get("min.insync.replicas"));
            if (isr != null && (isr > replicas || replicas > 1 && isr >= replicas)) {
                out.add(id + ": min.insync.replicas " + isr + " does not fit replicas " + replicas);
            }
        }
        requiredTopics.stream().filter(t -> !declared.contains(t)).sorted()
                .forEach(t -> out.add("topic " + t + " is used by the services but has no KafkaTopic"));
        return out;
    }

    /** The session the services' consumers ask for (session.timeout.ms in their properties). */
    static final long CONSUMER_SESSION_MS = 6_000;
    /** The longest wait before the first rebalance of an empty group that still resumes within seconds. */
    static final long MAX_INITIAL_REBALANCE_DELAY_MS = 1_000;
    private static final Map<String, Long> CONSUMER_GROUP_DEFAULTS = Map.of(
            "group.min.session.timeout.ms", 6_000L,
            "group.max.session.timeout.ms", 1_800_000L,
            "group.initial.rebalance.delay.ms", 3_000L);

    /**
     * The broker accepts the consumers' short session (a killed member leaves its group within
     * seconds) and starts the first rebalance of an emptied group without delay, so a restarted
     * pod's consumer gets its partitions as soon as it joins.
     */
    static List<String> consumerGroups(Manifests m) {
        List<String> out = new ArrayList<>();
        for (Kafka kafka : m.of(Kafka.class)) {
            String id = Manifest.id(kafka);
            Map<String, Object> config = kafka.getSpec().getKafka().getConfig() == null ? Map.of() : kafka.getSpec().getKafka().getConfig();
            Map<String, Long> value = new HashMap<>();
            for (Map.Entry<String, Long> e : CONSUMER_GROUP_DEFAULTS.entrySet()) {
                Object configured = config.get(e.getKey());
                if (configured != null && !(configured instanceof Number) && !(configured instanceof String s && s.matches("\\d+"))) {
                    out.add(id + ": config " + e.getKey() + "=" + configured + " is not a number of milliseconds");
                }
                value.put(e.getKey(), configured instanceof Number n ? n.longValue()
                        : configured instanceof String s && s.matches("\\d+") ? Long.parseLong(s) : e.getValue());
            }
            long min = value.get("group.min.session.timeout.ms");
            long max = value.get("group.max.session.timeout.ms");
            if (CONSUMER_SESSION_MS < min || CONSUMER_SESSION_MS > max) {
                out.add(id + ": config group.min/max.session.timeout.ms " + min + ".." + max + " ms refuses the consumers' "
                        + CONSUMER_SESSION_MS + " ms session: they could not join");
            }
            long delay = value.get("group.initial.rebalance.delay.ms");
            if (delay > MAX_INITIAL_REBALANCE_DELAY_MS) {
                out.add(id + ": config group.initial.rebalance.delay.ms is " + delay + " ms"
                        + (config.containsKey("group.initial.rebalance.delay.ms") ? "" : " (Kafka's default)")
                        + "; a restarted consumer would wait that long for its partitions (at most "
                        + MAX_INITIAL_REBALANCE_DELAY_MS + ")");
            }
        }
        return out;
    }

    // ---- MongoDB ------------------------------------------------------------------------------

    /** The replica-set init Job and the StatefulSet agree on name, size and address. */
    static List<String> mongodb(Manifests m) {
        List<String> out = new ArrayList<>();
        for (Job job : m.of(Job.class)) {
            for (Container c : job.getSpec().getTemplate().getSpec().getContainers()) {
                Map<String, String> env = new HashMap<>();
                list(c.getEnv()).stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
                if (!env.containsKey("MONGODB_REPLICAS")) {
                    continue;
                }
                String id = Manifest.id(job) + " container " + c.getName();
                Optional<StatefulSet> sts = m.find(StatefulSet.class, env.get("MONGODB_SERVICE"));
                if (sts.isEmpty()) {
                    out.add(id + ": MONGODB_SERVICE=" + env.get("MONGODB_SERVICE") + " names no StatefulSet");
                    continue;
                }
                StatefulSet s = sts.get();
                int replicas = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
                if (!String.valueOf(replicas).equals(env.get("MONGODB_REPLICAS"))) {
                    out.add(id + ": MONGODB_REPLICAS=" + env.get("MONGODB_REPLICAS") + " but " + Manifest.id(s)
                            + " has " + replicas + " replicas: the replica set would not match the pods");
                }
                if (replicas % 2 == 0) {
                    out.add(Manifest.id(s) + ": an even number of members (" + replicas + ") cannot keep a majority better than one less");
                }
                List<String> args = s.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
                int i = list(args).indexOf("--replSet");
                String replSet = i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
                if (!Objects.equals(replSet, env.get("REPLICA_SET"))) {
                    out.add(id + ": REPLICA_SET=" + env.get("REPLICA_SET") + " but mongod runs with --replSet " + replSet);
                }
                Optional<Service> headless = m.service(s.getSpec().getServiceName());
                if (headless.isEmpty()) {
                    out.add(Manifest.id(s) + ": serviceName " + s.getSpec().getServiceName() + " names no Service");
                } else if (!"None".equals(headless.get().getSpec().getClusterIP())
                        || !Boolean.TRUE.equals(headless.get().getSpec().getPublishNotReadyAddresses())) {
                    out.add(Manifest.id(headless.get()) + ": must be headless (clusterIP None) and publishNotReadyAddresses,"
                            + " or members cannot find each other before the replica set exists");
                }
            }
        }
        return out;
    }

    // ---- production ---------------------------------------------------------------------------

    /** What a production overlay adds: redundancy everywhere, autoscaling, budgets, registry images, TLS. */
    static List<String> production(Manifests m, List<String> services) {
        List<String> out = new ArrayList<>();
        for (String service : services) {
            Optional<Deployment> d = m.find(Deployment.class, service);
            if (d.isEmpty()) {
                out.add("Deployment " + service + " is missing");
                continue;
            }
            String id = Manifest.id(d.get());
            Optional<HorizontalPodAutoscaler> hpa = m.of(HorizontalPodAutoscaler.class).stream()
                    .filter(h -> service.equals(h.getSpec().getScaleTargetRef().getName())).findFirst();
            int minReplicas = hpa.map(h -> h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas())
                    .orElse(d.get().getSpec().getReplicas() == null ? 1 : d.get().getSpec().getReplicas());
            if (hpa.isEmpty()) {
                out.add(id + ": no HorizontalPodAutoscaler");
            }
            if (minReplicas < 2) {
                out.add(id + ": runs " + minReplicas + " replica(s) at least; production needs 2 or more");
            }
            Map<String, String> labels = labels(d.get().getSpec().getTemplate().getMetadata());
            Optional<PodDisruptionBudget> pdb = m.of(PodDisruptionBudget.class).stream()
                    .filter(p -> Labels.selects(p.getSpec().getSelector(), labels)).findFirst();
            if (pdb.isEmpty()) {
                out.add(id + ": no PodDisruptionBudget");
            } else if (pdb.get().getSpec().getMinAvailable() != null
                    && pdb.get().getSpec().getMinAvailable().getIntVal() != null
                    && pdb.get().getSpec().getMinAvailable().getIntVal() >= minReplicas) {
                out.add(Manifest.id(pdb.get()) + ": minAvailable " + pdb.get().getSpec().getMinAvailable().getIntVal()
                        + " would block every node drain at " + minReplicas + " replicas");
            }
            for (Container c : d.get().getSpec().getTemplate().getSpec().getContainers()) {
                String image = c.getImage();
                String registry = image.contains("/") ? image.substring(0, image.indexOf('/')) : "";
                if (!registry.contains(".") && !registry.contains(":")) {
                    out.add(id + " container " + c.getName() + ": image " + image + " names no registry; production pulls from one");
                }
            }
        }
        for (StatefulSet s : m.of(StatefulSet.class)) {
            int replicas = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
            if (replicas < 3) {
                out.add(Manifest.id(s) + ": " + replicas + " replica(s); production needs 3 or more");
            }
            Map<String, String> labels = labels(s.getSpec().getTemplate().getMetadata());
            if (m.of(PodDisruptionBudget.class).stream().noneMatch(p -> Labels.selects(p.getSpec().getSelector(), labels))) {
                out.add(Manifest.id(s) + ": no PodDisruptionBudget");
            }
        }
        for (KafkaNodePool pool : m.of(KafkaNodePool.class)) {
            if (pool.getSpec().getReplicas() < 3) {
                out.add(Manifest.id(pool) + ": " + pool.getSpec().getReplicas() + " node(s); production needs 3 or more");
            }
        }
        for (KafkaTopic topic : m.of(KafkaTopic.class)) {
            Integer isr = integer(topic.getSpec().getConfig() == null ? null : topic.getSpec().getConfig().get("min.insync.replicas"));
            if (!Integer.valueOf(3).equals(topic.getSpec().getReplicas()) || topic.getSpec().getPartitions() == null
                    || topic.getSpec().getPartitions() < 3 || !Integer.valueOf(2).equals(isr)) {
                out.add(Manifest.id(topic) + ": production topics need replicas 3, partitions 3 or more, min.insync.replicas 2 (has "
                        + topic.getSpec().getReplicas() + ", " + topic.getSpec().getPartitions() + ", " + isr + ")");
            }
        }
        boolean denyAll = m.of(NetworkPolicy.class).stream().anyMatch(np -> Labels.isEmpty(np.getSpec().getPodSelector())
                && list(np.getSpec().getPolicyTypes()).containsAll(List.of("Ingress", "Egress"))
                && list(np.getSpec().getIngress()).isEmpty() && list(np.getSpec().getEgress()).isEmpty());
        if (!denyAll) {
            out.add("no default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules)");
        }
        for (Ingress ingress : m.of(Ingress.class)) {
            if (list(ingress.getSpec().getTls()).isEmpty()) {
                out.add(Manifest.id(ingress) + ": no TLS");
            }
        }
        return out;
    }

    // ---- helpers ------------------------------------------------------------------------------

    static List<Container> allContainers(PodSpec pod) {
        List<Container> all = new ArrayList<>(list(pod.getInitContainers()));
        all.addAll(list(pod.getContainers()));
        return all;
    }

    static Optional<ContainerPort> containerPort(Container c, IntOrString port) {
        return list(c.getPorts()).stream().filter(p -> port.getStrVal() != null
                ? port.getStrVal().equals(p.getName())
                : port.getIntVal() != null && port.getIntVal().equals(p.getContainerPort())).findFirst();
    }

    static String text(IntOrString value) {
        return value.getStrVal() != null ? value.getStrVal() : String.valueOf(value.getIntVal());
    }

    static Map<String, String> labels(io.fabric8.kubernetes.api.model.ObjectMeta meta) {
        return meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels();
    }

    static LabelSelector selectorOf(HasMetadata owner) {
        if (owner instanceof Deployment d) {
            return d.getSpec().getSelector();
        }
        if (owner instanceof StatefulSet s) {
            return s.getSpec().getSelector();
        }
        return null;
    }

    private static Set<String> keys(LabelSelector selector) {
        Set<String> keys = new HashSet<>();
        if (selector.getMatchLabels() != null) {
            keys.addAll(selector.getMatchLabels().keySet());
        }
        list(selector.getMatchExpressions()).forEach(e -> keys.add(e.getKey()));
        return keys;
    }

    private static String matchLabel(LabelSelector selector, String key) {
        return selector.getMatchLabels() == null ? null : selector.getMatchLabels().get(key);
    }

    static String describe(LabelSelector selector) {
        if (selector == null) {
            return "<none>";
        }
        List<String> parts = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            selector.getMatchLabels().forEach((k, v) -> parts.add(k + "=" + v));
        }
        list(selector.getMatchExpressions()).forEach(e -> parts.add(e.getKey() + " " + e.getOperator() + " " + list(e.getValues())));
        return "{" + String.join(", ", parts) + "}";
    }

    static Integer integer(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String s && s.matches("-?\\d+")) {
            return Integer.parseInt(s);
        }
        return null;
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }
}

package dev.conduit.k8s;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.SleepAction;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.ResourceMetricSource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressRuleValue;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitorSpec;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one object strictly into its typed model: the fabric8 Kubernetes model for built-in kinds,
 * Strimzi's for Kafka CRs, fabric8's Prometheus Operator model for PodMonitor and PrometheusRule.
 * All keep fields they do not know in {@code additionalProperties}, so a misspelt field is found at
 * any depth; scalars are never coerced (a quoted number where an integer belongs, or a bare number
 * where the API wants a string, fails as the API server would); required fields are those Strimzi
 * marks required plus the Kubernetes API's (and the Prometheus Operator CRDs') own list below.
 */
final class StrictModel {

    /** apiVersion/kind that may appear, each with its model: anything else is an unknown kind. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

    /** Fields the Kubernetes API requires (its OpenAPI "required"), which the fabric8 model does not mark. */
    private static final Map<Class<?>, List<String>> REQUIRED = Map.ofEntries(
            Map.entry(Container.class, List.of("name", "image")),
            Map.entry(ContainerPort.class, List.of("containerPort")),
            Map.entry(EnvVar.class, List.of("name")),
            Map.entry(VolumeMount.class, List.of("name", "mountPath")),
            Map.entry(Volume.class, List.of("name")),
            Map.entry(KeyToPath.class, List.of("key", "path")),
            Map.entry(ServicePort.class, List.of("port")),
            Map.entry(DeploymentSpec.class, List.of("selector", "template")),
            Map.entry(StatefulSetSpec.class, List.of("selector", "template", "serviceName")),
            Map.entry(JobSpec.class, List.of("template")),
            Map.entry(PodSpec.class, List.of("containers")),
            Map.entry(HTTPGetAction.class, List.of("port")),
            Map.entry(TCPSocketAction.class, List.of("port")),
            Map.entry(ExecAction.class, List.of("command")),
            Map.entry(SleepAction.class, List.of("seconds")),
            Map.entry(HorizontalPodAutoscalerSpec.class, List.of("scaleTargetRef", "maxReplicas")),
            Map.entry(CrossVersionObjectReference.class, List.of("kind", "name")),
            Map.entry(MetricSpec.class, List.of("type")),
            Map.entry(ResourceMetricSource.class, List.of("name", "target")),
            Map.entry(MetricTarget.class, List.of("type")),
            Map.entry(HTTPIngressPath.class, List.of("pathType", "backend")),
            Map.entry(HTTPIngressRuleValue.class, List.of("paths")),
            Map.entry(IngressServiceBackend.class, List.of("name")),
            Map.entry(IngressTLS.class, List.of("secretName")),
            Map.entry(SecretKeySelector.class, List.of("key", "name")),
            Map.entry(ConfigMapKeySelector.class, List.of("key", "name")),
            Map.entry(ObjectFieldSelector.class, List.of("fieldPath")),
            Map.entry(LabelSelectorRequirement.class, List.of("key", "operator")),
            Map.entry(IPBlock.class, List.of("cidr")),
            Map.entry(SeccompProfile.class, List.of("type")),
            Map.entry(TopologySpreadConstraint.class, List.of("maxSkew", "topologyKey", "whenUnsatisfiable")),
            Map.entry(PodAffinityTerm.class, List.of("topologyKey")),
            Map.entry(Capabilities.class, List.of()),
            Map.entry(PodMonitorSpec.class, List.of("selector")),
            Map.entry(RuleGroup.class, List.of("name", "rules")),
            Map.entry(Rule.class, List.of("expr")));

    private static final Set<String> MODEL_PACKAGES = Set.of("io.fabric8.kubernetes.api.model", "io.strimzi.api",
            "io.fabric8.openshift.api.model.monitoring");

    static final ObjectMapper MAPPER = strictMapper();

    record Result(HasMetadata object, List<String> problems) {
    }

    private StrictModel() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .build();
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }

    static Result read(ObjectNode document) {
        List<String> problems = new ArrayList<>();
        String key = document.path("apiVersion").asText("") + "/" + document.path("kind").asText("");
        Class<? extends HasMetadata> type = KINDS.get(key);
        if (type == null) {
            problems.add("unknown kind '" + key + "' (known: " + KINDS.keySet().stream().sorted().toList() + ")");
            return new Result(null, problems);
        }
        HasMetadata object;
        try {
            object = MAPPER.treeToValue(document, type);
        } catch (JsonMappingException e) {
            problems.add("wrong type at " + path(e) + ": " + e.getOriginalMessage());
            return new Result(null, problems);
        } catch (Exception e) {
            problems.add("cannot be read as " + type.getSimpleName() + ": " + e.getMessage());
            return new Result(null, problems);
        }
        if (object.getMetadata() == null || blank(object.getMetadata().getName())) {
            problems.add("missing required field metadata.name");
        }
        walk(object, "", problems);
        return new Result(object, problems);
    }

    /** Visits every model object below {@code value}: unknown fields and missing required fields. */
    private static void walk(Object value, String path, List<String> problems) {
        if (value == null) {
            return;
        }
        if (path.length() > 2000) {
            throw new IllegalStateException("model nests too deep at " + path.substring(0, 300));
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(item, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, problems));
            return;
        }
        Class<?> type = value.getClass();
        if (value instanceof Enum<?> || MODEL_PACKAGES.stream().noneMatch(p -> type.getName().startsWith(p))) {
            return;
        }
        Map<String, Object> unknown = additionalProperties(value);
        if (!unknown.isEmpty()) {
            problems.add("unknown field" + (unknown.size() > 1 ? "s " : " ") + unknown.keySet().stream()
                    .map(k -> join(path, k)).toList() + " (not in " + type.getSimpleName() + ")");
        }
        BeanDescription bean = MAPPER.getSerializationConfig().introspect(MAPPER.constructType(type));
        List<String> required = new ArrayList<>(REQUIRED.getOrDefault(type, List.of()));
        for (BeanPropertyDefinition property : bean.findProperties()) {
            AnnotatedMember getter = property.getAccessor();
            // only what YAML can set: getters derived from other fields are not part of the schema
            if (getter == null || "additionalProperties".equals(property.getName())
                    || !(property.hasSetter() || property.hasField() || property.hasConstructorParameter())) {
                continue;
            }
            if (property.getMetadata().isRequired()) {
                required.add(property.getName());
            }
            Object child;
            try {
                child = getter.getValue(value);
            } catch (RuntimeException e) {
                continue;
            }
            if (required.contains(property.getName()) && missing(child)) {
                problems.add("missing required field " + join(path, property.getName())
                        + " (" + type.getSimpleName() + ")");
            }
            walk(child, join(path, property.getName()), problems);
        }
    }

    private static boolean missing(Object value) {
        return value == null
                || value instanceof String s && s.isBlank()
                || value instanceof Collection<?> c && c.isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> additionalProperties(Object bean) {
        try {
            Method getter = bean.getClass().getMethod("getAdditionalProperties");
            Object extra = getter.invoke(bean);
            return extra instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (NoSuchMethodException e) {
            return Map.of();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                out.append(out.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.length() == 0 ? "<root>" : out.toString();
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Key/value pairs of the object's raw YAML, for checks that need the text as written. */
    static Map<String, Object> asMap(Object typed) {
        return MAPPER.convertValue(typed, LinkedHashMap.class);
    }
}

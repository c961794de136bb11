package dev.conduit.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The objects one Kustomize target renders to, each both as raw YAML and as its typed model. */
final class Manifests {

    final String target;
    final List<Manifest> all;
    /** Problems found while reading: unknown kinds, wrong types, unknown or missing fields. */
    final List<String> problems;

    private Manifests(String target, List<Manifest> all, List<String> problems) {
        this.target = target;
        this.all = List.copyOf(all);
        this.problems = List.copyOf(problems);
    }

    static Manifests parse(String target, String yaml) {
        List<Manifest> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<JsonNode> documents;
        try {
            documents = YAML.readValues(YAML.getFactory().createParser(yaml), JsonNode.class).readAll();
        } catch (IOException e) {
            throw new IllegalStateException(target + ": rendered YAML does not parse: " + e.getMessage(), e);
        }
        int index = 0;
        for (JsonNode document : documents) {
            index++;
            if (document == null || document.isNull() || document.isEmpty()) {
                continue;
            }
            String label = describe(document, index);
            if (!(document instanceof ObjectNode)) {
                problems.add(label + ": not a mapping");
                continue;
            }
            StrictModel.Result result = StrictModel.read((ObjectNode) document);
            result.problems().forEach(p -> problems.add(label + ": " + p));
            if (result.object() != null) {
                objects.add(new Manifest(document, result.object()));
            }
        }
        return new Manifests(target, objects, problems);
    }

    private static String describe(JsonNode doc, int index) {
        String kind = doc.path("kind").asText("<no kind>");
        String ns = doc.path("metadata").path("namespace").asText("");
        String name = doc.path("metadata").path("name").asText("<no name>");
        return kind + " " + (ns.isEmpty() ? "" : ns + "/") + name + " (document " + index + ")";
    }

    <T extends HasMetadata> List<T> of(Class<T> type) {
        return all.stream().map(Manifest::typed).filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return of(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    Optional<Service> service(String name) {
        return find(Service.class, name);
    }

    Optional<ConfigMap> configMap(String name) {
        return find(ConfigMap.class, name);
    }

    /** Every pod this target creates directly: from Deployments, StatefulSets and Jobs. */
    List<Workload> workloads() {
        List<Workload> workloads = new ArrayList<>();
        of(Deployment.class).forEach(d -> workloads.add(new Workload(d, d.getSpec().getTemplate())));
        of(StatefulSet.class).forEach(s -> workloads.add(new Workload(s, s.getSpec().getTemplate())));
        of(Job.class).forEach(j -> workloads.add(new Workload(j, j.getSpec().getTemplate())));
        return workloads;
    }

    Optional<Workload> workload(String name) {
        return workloads().stream().filter(w -> w.name().equals(name)).findFirst();
    }

    Stream<Manifest> stream() {
        return all.stream();
    }

    static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());

    /** One rendered object. */
    record Manifest(JsonNode raw, HasMetadata typed) {
        String id() {
            return id(typed);
        }

        static String id(HasMetadata o) {
            String ns = o.getMetadata().getNamespace();
            return o.getKind() + " " + (ns == null ? "" : ns + "/") + o.getMetadata().getName();
        }
    }

    /** An object that runs pods, and its pod template. */
    record Workload(HasMetadata owner, PodTemplateSpec template) {
        String name() {
            return owner.getMetadata().getName();
        }

        String id() {
            return Manifest.id(owner);
        }

        /** Long-running pods must answer probes; a Job's pod runs to completion. */
        boolean serving() {
            return !(owner instanceof Job);
        }
    }
}

package dev.conduit.k8s;

import dev.conduit.k8s.Manifests.Manifest;
import dev.conduit.k8s.Manifests.Workload;
import dev.conduit.k8s.ServiceChecks.Value;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorization;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static dev.conduit.k8s.Policies.list;

/**
 * Who may do what on Kafka: the cluster authenticates every client and authorizes with ACLs; each
 * service is its own KafkaUser that writes only the topics it owns (events/README.md) and its own
 * dead-letter topic, reads only what its configuration consumes, in its own consumer group; any
 * other KafkaUser (an outside consumer) only reads the event contract's topics, in groups that are
 * no service's; and every pod that talks to Kafka does so with its own user's credentials.
 */
final class KafkaAccessChecks {

    /** Variables the services' shared defaults read for Kafka's security settings. */
    static final String PROTOCOL = "KAFKA_SECURITY_PROTOCOL";
    static final String MECHANISM = "KAFKA_SASL_MECHANISM";
    static final String JAAS = "KAFKA_SASL_JAAS_CONFIG";
    static final String TRUSTSTORE = "KAFKA_SSL_TRUSTSTORE_LOCATION";
    static final String BOOTSTRAP = "KAFKA_BOOTSTRAP_SERVERS";
    /** Keys of the Secrets Strimzi makes: a SCRAM user's JAAS line, the cluster CA's certificate. */
    static final String JAAS_KEY = "sasl.jaas.config";
    static final String CA_KEY = "ca.crt";

    private KafkaAccessChecks() {
    }

    /**
     * What a service does on Kafka, from its own configuration. A Kafka Streams application
     * ({@code applicationId} present: quarkus.kafka-streams.application-id) also owns every topic, group
     * and transactional id that starts with its application id: Streams names its internal topics
     * ({@code <id>-<store>-changelog}, {@code -repartition}), its group ({@code <id>}) and, with
     * exactly-once, its transactional ids ({@code <id>-<process>-<thread>}) so, and creates the topics.
     */
    record Needs(String service, Set<String> produces, Set<String> consumes, String group, Optional<String> applicationId,
                 boolean exactlyOnce) {
        Needs(String service, Set<String> produces, Set<String> consumes, String group) {
            this(service, produces, consumes, group, Optional.empty(), false);
        }

        /** A Kafka Streams application of {@code applicationId}: its group is the application id. */
        static Needs streams(String service, Set<String> consumes, String applicationId, boolean exactlyOnce) {
            return new Needs(service, Set.of(), consumes, applicationId, Optional.of(applicationId), exactlyOnce);
        }

        boolean consumer() {
            return !consumes.isEmpty();
        }

        boolean streams() {
            return applicationId.isPresent();
        }

        String deadLetter() {
            return "conduit.dlq." + service;
        }

        /**
         * The topics it may write: its own events, and its dead-letter topic when it consumes through
         * SmallRye (a Streams application has none: what it cannot read stops it, by design of Streams'
         * exactly-once, and its own topics are its prefix's).
         */
        Set<String> writes() {
            Set<String> writes = new TreeSet<>(produces);
            if (consumer() && !streams()) {
                writes.add(deadLetter());
            }
            return writes;
        }

        /** Whether a topic, group or transactional id is one of the Streams application's own (its prefix). */
        boolean owns(String name) {
            return applicationId.map(name::startsWith).orElse(false);
        }
    }

    /** Operations a Kafka Streams application needs on its own (prefixed) topics. */
    static final Set<AclOperation> STREAMS_TOPIC_OPERATIONS = Set.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
            AclOperation.DELETE, AclOperation.DESCRIBE, AclOperation.DESCRIBECONFIGS);
    /** Of those, what it cannot run without (Delete only purges consumed repartition records; DescribeConfigs checks topics). */
    static final List<AclOperation> STREAMS_TOPIC_REQUIRED = List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
            AclOperation.DESCRIBE);

    /** The services that talk to Kafka (they read KAFKA_BOOTSTRAP_SERVERS) and what each does there. */
    static Map<String, Needs> needs(Collection<String> services) {
        Map<String, Needs> needs = new LinkedHashMap<>();
        for (String service : services) {
            if (!ServiceContract.variablesReadBy(service).contains(BOOTSTRAP)) {
                continue;
            }
            Optional<String> applicationId = ServiceContract.streamsApplicationId(service);
            if (applicationId.isPresent()) {
                Set<String> consumes = new TreeSet<>(ServiceContract.streamsSourceTopics(service));
                consumes.addAll(ServiceContract.consumedTopics(service));
                needs.put(service, Needs.streams(service, consumes, applicationId.get(), ServiceContract.streamsExactlyOnce(service)));
            } else {
                needs.put(service, new Needs(service, ServiceContract.producedTopics(service),
                        ServiceContract.consumedTopics(service), ServiceContract.consumerGroup(service)));
            }
        }
        return needs;
    }

    // ---- the cluster ---------------------------------------------------------------------------

    /** Authorization on, no super users, no listener without authentication or TLS, users the cluster can serve. */
    static List<String> cluster(Manifests m) {
        List<String> out = new ArrayList<>();
        for (Kafka kafka : m.of(Kafka.class)) {
            String id = Manifest.id(kafka);
            KafkaAuthorization authorization = kafka.getSpec().getKafka().getAuthorization();
            if (!(authorization instanceof KafkaAuthorizationSimple simple)) {
                out.add(id + ": spec.kafka.authorization is " + (authorization == null ? "not set" : authorization.getType())
                        + "; without `type: simple` every client that connects may write any topic");
            } else if (!list(simple.getSuperUsers()).isEmpty()) {
                out.add(id + ": super users " + simple.getSuperUsers() + " bypass every ACL");
            }
            for (GenericKafkaListener l : kafka.getSpec().getKafka().getListeners()) {
                String where = id + " listener " + l.getName() + " (" + l.getPort() + ")";
                if (l.getAuth() == null) {
                    out.add(where + ": no authentication; any pod that reaches it could act without a KafkaUser");
                }
                if (!l.isTls()) {
                    out.add(where + ": tls is false; the SCRAM exchange and every event would cross the pod network in clear text");
                }
            }
        }
        List<KafkaUser> users = m.of(KafkaUser.class);
        for (KafkaUser user : users) {
            String id = Manifest.id(user);
            String cluster = Policies.labels(user.getMetadata()).get("strimzi.io/cluster");
            Optional<Kafka> kafka = m.of(Kafka.class).stream().filter(k -> k.getMetadata().getName().equals(cluster)).findFirst();
            if (kafka.isEmpty()) {
                out.add(id + ": label strimzi.io/cluster=" + cluster + " names no Kafka resource");
                continue;
            }
            if (kafka.get().getSpec().getEntityOperator() == null || kafka.get().getSpec().getEntityOperator().getUserOperator() == null) {
                out.add(Manifest.id(kafka.get()) + ": KafkaUsers exist but spec.entityOperator.userOperator is not set; nobody would make them");
            }
            if (user.getSpec().getAuthentication() == null) {
                out.add(id + ": no authentication; it could not connect to a listener that requires one");
                continue;
            }
            String type = user.getSpec().getAuthentication().getType();
            boolean served = kafka.get().getSpec().getKafka().getListeners().stream()
                    .anyMatch(l -> l.getAuth() != null && l.getAuth().getType().equals(type));
            if (!served) {
                out.add(id + ": authentication " + type + ", which no listener of " + Manifest.id(kafka.get()) + " accepts");
            }
        }
        return out;
    }

    // ---- the ACLs ------------------------------------------------------------------------------

    /**
     * Every KafkaUser's ACLs. A service's user: exactly what its configuration needs, with topics
     * written only by their owner ({@code owners}: topic -> owning service). Any other user: read-only
     * on the owners' topics, in groups that cannot be a service's.
     */
    static List<String> acls(Manifests m, Map<String, Needs> needs, Map<String, String> owners, Collection<String> services) {
        List<String> out = new ArrayList<>();
        Set<String> serviceGroups = new TreeSet<>();
        needs.values().stream().filter(Needs::consumer).forEach(n -> serviceGroups.add(n.group()));
        for (Needs n : needs.values()) {
            n.produces().stream().filter(t -> !n.service().equals(owners.get(t))).forEach(t -> out.add(n.service()
                    + " sends to " + t + (owners.containsKey(t) ? ", whose owner is " + owners.get(t) : ", which has no owner")
                    + " (events/README.md)"));
            if (m.find(KafkaUser.class, n.service()).isEmpty()) {
                out.add(n.service() + " talks to Kafka but has no KafkaUser of its name");
            }
        }
        for (KafkaUser user : m.of(KafkaUser.class)) {
            String name = user.getMetadata().getName();
            String id = Manifest.id(user);
            List<AclRule> rules = user.getSpec().getAuthorization() instanceof KafkaUserAuthorizationSimple simple
                    ? list(simple.getAcls()) : List.of();
            for (AclRule rule : rules) {
                if (rule.getOperation() != null) {
                    out.add(id + ": an ACL uses `operation`, which kafka.strimzi.io/v1 does not have; list `operations`");
                }
                if (rule.getType() == AclRuleType.DENY) {
                    out.add(id + ": deny rules are not part of the design; grant less instead");
                }
            }
            Needs n = needs.get(name);
            if (n != null) {
                out.addAll(serviceAcls(id, n, rules, owners));
            } else if (services.contains(name)) {
                out.add(id + ": " + name + " does not talk to Kafka (it reads no " + BOOTSTRAP + "), so it must have no KafkaUser");
            } else {
                out.addAll(readOnlyAcls(id, rules, owners.keySet(), serviceGroups));
            }
        }
        return out;
    }

    private static List<String> serviceAcls(String id, Needs n, List<AclRule> rules, Map<String, String> owners) {
        List<String> out = new ArrayList<>();
        String s = n.service();
        for (AclRule rule : rules) {
            AclRuleResource resource = rule.getResource();
            for (AclOperation op : operations(rule)) {
                if (resource instanceof AclRuleTopicResource topic) {
                    String t = topic.getName();
                    if (n.streams() && ownPrefix(n, topic.getPatternType(), t)) {
                        if (!STREAMS_TOPIC_OPERATIONS.contains(op)) {
                            out.add(id + ": may " + op.toValue() + " topics '" + t + "' (prefix); a Kafka Streams application needs "
                                    + "Read, Write, Create, Delete, Describe and DescribeConfigs on its own topics, nothing more");
                        }
                    } else if (!literal(topic.getPatternType(), t)) {
                        out.add(id + ": " + op.toValue() + " on topics '" + t + "' (" + pattern(topic.getPatternType())
                                + "); a service's ACLs name each topic literally");
                    } else if (op == AclOperation.WRITE && !n.writes().contains(t)) {
                        out.add(id + ": may Write topic " + t + (owners.containsKey(t) && !s.equals(owners.get(t))
                                ? ", whose owner is " + owners.get(t) + " (events/README.md): it could forge " + owners.get(t) + "'s events"
                                : ", which is neither its own topic nor its dead-letter topic"));
                    } else if (op == AclOperation.READ && !n.consumes().contains(t)) {
                        out.add(id + ": may Read topic " + t + ", which it does not consume (its application.properties reads "
                                + n.consumes() + ")");
                    } else if (op == AclOperation.DESCRIBE && !n.writes().contains(t) && !n.consumes().contains(t)) {
                        out.add(id + ": may Describe topic " + t + ", which it neither writes nor reads");
                    } else if (op != AclOperation.WRITE && op != AclOperation.READ && op != AclOperation.DESCRIBE) {
                        out.add(id + ": may " + op.toValue() + " topic " + t + "; a service only writes, reads and describes");
                    }
                } else if (resource instanceof AclRuleGroupResource group) {
                    String g = group.getName();
                    // a Streams application's group is its application id, which it may also grant as its prefix
                    boolean own = g.equals(n.group()) && (literal(group.getPatternType(), g) || ownPrefix(n, group.getPatternType(), g));
                    if (!own || !n.consumer()) {
                        out.add(id + ": may " + op.toValue() + " group '" + g + "' (" + pattern(group.getPatternType()) + "); "
                                + (n.consumer() ? "its one group is " + n.group() : s + " consumes nothing"));
                    } else if (op != AclOperation.READ && op != AclOperation.DESCRIBE) {
                        out.add(id + ": may " + op.toValue() + " its group " + g + "; a consumer needs Read only");
                    }
                } else if (resource instanceof AclRuleClusterResource) {
                    out.add(id + ": may " + op.toValue() + " on the cluster; no service needs a cluster ACL (an idempotent"
                            + " producer needs only Write on a topic since Kafka 3.0, KIP-679; describeCluster needs none)");
                } else if (resource instanceof AclRuleTransactionalIdResource x) {
                    if (!n.streams() || !n.exactlyOnce()) {
                        out.add(id + ": may " + op.toValue() + " a transactional id; " + (n.streams()
                                ? s + " does not process exactly once (kafka-streams.processing.guarantee)" : "no service uses transactions"));
                    } else if (!ownPrefix(n, x.getPatternType(), x.getName())) {
                        out.add(id + ": may " + op.toValue() + " " + describe(x) + "; its transactional ids are prefix "
                                + n.applicationId().get() + " (its application id)");
                    } else if (op != AclOperation.WRITE && op != AclOperation.DESCRIBE) {
                        out.add(id + ": may " + op.toValue() + " its transactional ids; exactly-once needs Write and Describe");
                    }
                }
            }
        }
        for (String t : n.writes()) {
            if (!granted(rules, AclOperation.WRITE, AclRuleTopicResource.class, t)) {
                out.add(id + ": cannot Write topic " + t + (t.equals(n.deadLetter()) ? ", its dead-letter topic"
                        : ", which " + s + " sends to (its application.properties)"));
            }
        }
        for (String t : n.consumes()) {
            if (!granted(rules, AclOperation.READ, AclRuleTopicResource.class, t)) {
                out.add(id + ": cannot Read topic " + t + ", which " + s + " consumes (its application.properties)");
            }
        }
        if (n.consumer() && !granted(rules, AclOperation.READ, AclRuleGroupResource.class, n.group())) {
            out.add(id + ": cannot Read group " + n.group() + ", the consumer group of " + s);
        }
        if (n.streams()) {
            String internal = n.applicationId().get() + "-store-changelog";
            for (AclOperation op : STREAMS_TOPIC_REQUIRED) {
                if (!granted(rules, op, AclRuleTopicResource.class, internal)) {
                    out.add(id + ": cannot " + op.toValue() + " its internal topics (prefix " + n.applicationId().get()
                            + ", e.g. " + internal + "), which Kafka Streams creates and uses");
                }
            }
            String transactionalId = n.applicationId().get() + "-00000000-0000-0000-0000-000000000000-0";
            if (n.exactlyOnce() && !(granted(rules, AclOperation.WRITE, AclRuleTransactionalIdResource.class, transactionalId)
                    && granted(rules, AclOperation.DESCRIBE, AclRuleTransactionalIdResource.class, transactionalId))) {
                out.add(id + ": cannot Write and Describe its transactional ids (prefix " + n.applicationId().get()
                        + "), which exactly_once_v2 opens one per stream thread");
            }
        }
        return out;
    }

    /** A user that is no service's: Read and Describe on the contract's topics, in groups no service uses. */
    private static List<String> readOnlyAcls(String id, List<AclRule> rules, Set<String> publicTopics, Set<String> serviceGroups) {
        List<String> out = new ArrayList<>();
        for (AclRule rule : rules) {
            AclRuleResource resource = rule.getResource();
            for (AclOperation op : operations(rule)) {
                if (op != AclOperation.READ && op != AclOperation.DESCRIBE) {
                    out.add(id + ": may " + op.toValue() + " " + describe(resource) + "; a user that is no service's is read-only");
                    continue;
                }
                if (resource instanceof AclRuleTopicResource topic) {
                    if (!literal(topic.getPatternType(), topic.getName()) || !publicTopics.contains(topic.getName())) {
                        out.add(id + ": may " + op.toValue() + " " + describe(resource)
                                + "; outside consumers read only the event contract's topics " + publicTopics + " (events/README.md)");
                    }
                } else if (resource instanceof AclRuleGroupResource group) {
                    String g = group.getName();
                    boolean prefix = group.getPatternType() == AclResourcePatternType.PREFIX;
                    serviceGroups.stream().filter(sg -> "*".equals(g) || (prefix ? sg.startsWith(g) : sg.equals(g)))
                            .forEach(sg -> out.add(id + ": may " + op.toValue() + " " + describe(resource)
                                    + ", which covers " + sg + "'s consumer group: it could join it and move its offsets"));
                } else {
                    out.add(id + ": may " + op.toValue() + " " + describe(resource) + "; an outside consumer needs topics and its own groups only");
                }
            }
        }
        return out;
    }

    // ---- the credentials -----------------------------------------------------------------------

    /**
     * A KafkaUser's Secret reaches only the pods of the workload of the same name; each service that
     * talks to Kafka gets its JAAS line from its own user's Secret and the security settings its
     * listener needs, with the cluster CA as trust store on a TLS listener.
     */
    static List<String> credentials(Manifests m, Map<String, Needs> needs) {
        List<String> out = new ArrayList<>();
        Map<String, String> userSecrets = userSecrets(m);
        for (Workload w : m.workloads()) {
            for (Container c : Policies.allContainers(w.template().getSpec())) {
                for (EnvVar e : list(c.getEnv())) {
                    SecretKeySelector ref = e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef();
                    String user = ref == null ? null : userSecrets.get(ref.getName());
                    if (user != null && !user.equals(w.name())) {
                        out.add(w.id() + " container " + c.getName() + " env " + e.getName() + ": reads the credentials of KafkaUser "
                                + user + "; a pod talks to Kafka as its own user only");
                    }
                }
            }
            for (Volume v : list(w.template().getSpec().getVolumes())) {
                List<String> names = new ArrayList<>();
                if (v.getSecret() != null) {
                    names.add(v.getSecret().getSecretName());
                }
                if (v.getProjected() != null) {
                    list(v.getProjected().getSources()).stream().map(VolumeProjection::getSecret).filter(Objects::nonNull)
                            .forEach(p -> names.add(p.getName()));
                }
                names.stream().filter(userSecrets::containsKey).filter(s -> !userSecrets.get(s).equals(w.name()))
                        .forEach(s -> out.add(w.id() + " volume " + v.getName() + ": mounts the credentials of KafkaUser "
                                + userSecrets.get(s) + "; a pod talks to Kafka as its own user only"));
            }
        }
        for (Needs n : needs.values()) {
            Optional<Deployment> d = m.find(Deployment.class, n.service());
            if (d.isEmpty()) {
                continue;
            }
            Optional<Container> c = d.get().getSpec().getTemplate().getSpec().getContainers().stream()
                    .filter(x -> x.getName().equals(n.service())).findFirst();
            if (c.isEmpty()) {
                continue;
            }
            String where = Manifest.id(d.get()) + " container " + n.service();
            out.addAll(client(m, where, n.service(), d.get(), c.get()));
        }
        return out;
    }

    private static List<String> client(Manifests m, String where, String service, Deployment d, Container c) {
        List<String> out = new ArrayList<>();
        Map<String, Value> env = ServiceChecks.environment(m, c);
        Map<String, SecretKeySelector> secretRefs = new LinkedHashMap<>();
        list(c.getEnv()).stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .forEach(e -> secretRefs.put(e.getName(), e.getValueFrom().getSecretKeyRef()));
        Optional<KafkaUser> user = m.find(KafkaUser.class, service);
        String ownSecret = user.map(u -> secretName(m, u)).orElse(null);
        SecretKeySelector jaas = secretRefs.get(JAAS);
        if (jaas == null) {
            out.add(where + ": " + JAAS + " must come from its KafkaUser's Secret (secretKeyRef " + ownSecret + "/" + JAAS_KEY + ")");
        } else if (!Objects.equals(jaas.getName(), ownSecret) || !JAAS_KEY.equals(jaas.getKey())) {
            out.add(where + ": " + JAAS + " comes from Secret " + jaas.getName() + " key " + jaas.getKey() + "; expected its own KafkaUser's "
                    + ownSecret + " key " + JAAS_KEY);
        }
        Value bootstrap = env.get(BOOTSTRAP);
        if (bootstrap == null || bootstrap.literal() == null) {
            return out;
        }
        for (String server : bootstrap.literal().split(",")) {
            String[] hostPort = server.strip().split(":");
            int port = hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : -1;
            Optional<Kafka> kafka = m.of(Kafka.class).stream()
                    .filter(k -> hostPort[0].equals(k.getMetadata().getName() + "-kafka-bootstrap")).findFirst();
            Optional<GenericKafkaListener> listener = kafka.flatMap(k -> k.getSpec().getKafka().getListeners().stream()
                    .filter(l -> l.getPort() == port).findFirst());
            if (listener.isEmpty()) {
                continue; // ServiceChecks names a bootstrap server that leads nowhere
            }
            GenericKafkaListener l = listener.get();
            String auth = l.getAuth() == null ? null : l.getAuth().getType();
            String protocol = "scram-sha-512".equals(auth) ? (l.isTls() ? "SASL_SSL" : "SASL_PLAINTEXT")
                    : "tls".equals(auth) || l.isTls() ? "SSL" : "PLAINTEXT";
            expectLiteral(out, where, env, PROTOCOL, protocol, "listener " + l.getName());
            if ("scram-sha-512".equals(auth)) {
                expectLiteral(out, where, env, MECHANISM, "SCRAM-SHA-512", "listener " + l.getName());
            }
            if (user.isPresent() && auth != null && !auth.equals(user.get().getSpec().getAuthentication() == null ? null
                    : user.get().getSpec().getAuthentication().getType())) {
                out.add(where + ": listener " + l.getName() + " authenticates with " + auth + " but KafkaUser " + service + " does not");
            }
            if (l.isTls()) {
                Value truststore = env.get(TRUSTSTORE);
                String caSecret = kafka.get().getMetadata().getName() + "-cluster-ca-cert";
                if (truststore == null || truststore.literal() == null || !truststore.literal().startsWith("/")) {
                    out.add(where + ": " + TRUSTSTORE + " must be the path of " + CA_KEY + " from Secret " + caSecret
                            + " (listener " + l.getName() + " is TLS)");
                } else {
                    out.addAll(ServiceChecks.secretFile(where, TRUSTSTORE, truststore.literal(), d, c, caSecret));
                }
            }
        }
        return out;
    }

    private static void expectLiteral(List<String> out, String where, Map<String, Value> env, String name, String expected, String why) {
        Value value = env.get(name);
        if (value == null || !expected.equals(value.literal())) {
            out.add(where + ": " + name + " is " + (value == null ? "not set" : value.literal()) + "; " + why + " needs " + expected);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Secrets the Strimzi operators make: each KafkaUser's, and each cluster's CA certificate. */
    static Set<String> generatedSecrets(Manifests m) {
        Set<String> names = new TreeSet<>(userSecrets(m).keySet());
        m.of(Kafka.class).forEach(k -> names.add(k.getMetadata().getName() + "-cluster-ca-cert"));
        return names;
    }

    /** Secret name -> KafkaUser name. */
    static Map<String, String> userSecrets(Manifests m) {
        Map<String, String> secrets = new LinkedHashMap<>();
        m.of(KafkaUser.class).forEach(u -> secrets.put(secretName(m, u), u.getMetadata().getName()));
        return secrets;
    }

    /** The User Operator names a user's Secret after the user, behind its cluster's secretPrefix if any. */
    static String secretName(Manifests m, KafkaUser user) {
        String cluster = Policies.labels(user.getMetadata()).get("strimzi.io/cluster");
        String prefix = m.of(Kafka.class).stream().filter(k -> k.getMetadata().getName().equals(cluster))
                .map(k -> k.getSpec().getEntityOperator() == null || k.getSpec().getEntityOperator().getUserOperator() == null
                        ? null : k.getSpec().getEntityOperator().getUserOperator().getSecretPrefix())
                .filter(Objects::nonNull).findFirst().orElse("");
        return prefix + user.getMetadata().getName();
    }

    private static List<AclOperation> operations(AclRule rule) {
        List<AclOperation> ops = new ArrayList<>(list(rule.getOperations()));
        if (rule.getOperation() != null) {
            ops.add(rule.getOperation());
        }
        return ops;
    }

    /** The Streams application's own prefix: exactly its application id, as a prefix. */
    private static boolean ownPrefix(Needs n, AclResourcePatternType type, String name) {
        return type == AclResourcePatternType.PREFIX && n.applicationId().filter(name::equals).isPresent();
    }

    private static boolean literal(AclResourcePatternType type, String name) {
        return (type == null || type == AclResourcePatternType.LITERAL) && !"*".equals(name);
    }

    private static String pattern(AclResourcePatternType type) {
        return type == null ? "literal" : type.toValue();
    }

    /** Whether an allow rule grants the operation (or All) on the named resource, literally, by prefix or by *. */
    private static boolean granted(List<AclRule> rules, AclOperation op, Class<? extends AclRuleResource> kind, String name) {
        for (AclRule rule : rules) {
            if (rule.getType() == AclRuleType.DENY || !kind.isInstance(rule.getResource())) {
                continue;
            }
            List<AclOperation> ops = operations(rule);
            if (!ops.contains(op) && !ops.contains(AclOperation.ALL)) {
                continue;
            }
            String n;
            AclResourcePatternType p;
            if (rule.getResource() instanceof AclRuleTopicResource t) {
                n = t.getName();
                p = t.getPatternType();
            } else if (rule.getResource() instanceof AclRuleGroupResource g) {
                n = g.getName();
                p = g.getPatternType();
            } else {
                AclRuleTransactionalIdResource x = (AclRuleTransactionalIdResource) rule.getResource();
                n = x.getName();
                p = x.getPatternType();
            }
            if ("*".equals(n) || (p == AclResourcePatternType.PREFIX ? name.startsWith(n) : name.equals(n))) {
                return true;
            }
        }
        return false;
    }

    private static String describe(AclRuleResource resource) {
        if (resource instanceof AclRuleTopicResource t) {
            return "topic '" + t.getName() + "' (" + pattern(t.getPatternType()) + ")";
        }
        if (resource instanceof AclRuleGroupResource g) {
            return "group '" + g.getName() + "' (" + pattern(g.getPatternType()) + ")";
        }
        if (resource instanceof AclRuleTransactionalIdResource x) {
            return "transactional id '" + x.getName() + "' (" + pattern(x.getPatternType()) + ")";
        }
        return "the cluster";
    }
}

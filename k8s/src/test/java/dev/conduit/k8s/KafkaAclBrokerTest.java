package dev.conduit.k8s;

import dev.conduit.k8s.KafkaAccessChecks.Needs;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The rendered KafkaUsers' ACLs on a real broker (Apache Kafka 4.1, KRaft, the StandardAuthorizer
 * that Strimzi's {@code authorization: simple} runs), applied the way the User Operator applies them:
 * each service, authenticated with SCRAM-SHA-512 as its user, can do what it does in production
 * (idempotent producer with acks=all to its topics and dead-letter topic, consumer in its group with
 * offset commits, the broker check's describeCluster), and nothing else: no forged event in another
 * service's topic, no topic it does not consume, no other group, no topic creation. The outside
 * consumer reads and never writes. TLS is not part of this test (transport, not authorization): the
 * client listener here is SASL_PLAINTEXT; KafkaAccessChecks holds the manifests to SASL_SSL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAclBrokerTest {

    private static final String TARGET = "overlays/local";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path dir;
    private KafkaRaftServer server;
    private String clientBootstrap;
    private String adminBootstrap;
    private final Map<String, String> passwords = new HashMap<>();
    private Map<String, Needs> needs;
    private Set<String> topics;

    @BeforeAll
    void startBrokerWithTheRenderedUsersAndTopics() throws Exception {
        Manifests m = Kustomize.manifests(TARGET);
        needs = KafkaAccessChecks.needs(ServiceContract.services());
        topics = new TreeSet<>();
        m.of(KafkaTopic.class).forEach(t -> topics.add(t.getSpec().getTopicName() != null ? t.getSpec().getTopicName() : t.getMetadata().getName()));
        dir = Files.createTempDirectory("kafka-acl");
        int client = freePort();
        int admin = freePort();
        int controller = freePort();
        clientBootstrap = "127.0.0.1:" + client;
        adminBootstrap = "127.0.0.1:" + admin;
        Properties props = brokerProperties(client, admin, controller);
        format(props);
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();

        List<KafkaUser> users = m.of(KafkaUser.class);
        SecureRandom random = new SecureRandom();
        List<AclBinding> bindings = new ArrayList<>();
        List<UserScramCredentialAlteration> credentials = new ArrayList<>();
        for (KafkaUser user : users) {
            String name = user.getMetadata().getName();
            byte[] secret = new byte[24];
            random.nextBytes(secret);
            passwords.put(name, HexFormat.of().formatHex(secret));
            credentials.add(new UserScramCredentialUpsertion(name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                    passwords.get(name)));
            bindings.addAll(bindings(user));
        }
        try (Admin root = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, adminBootstrap))) {
            root.createTopics(topics.stream().map(t -> new NewTopic(t, 3, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
            root.alterUserScramCredentials(credentials).all().get(30, TimeUnit.SECONDS);
            root.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
            // the broker's authorizer and credential cache follow the metadata log: wait until it serves both
            await("the broker serves every ACL", () -> sizeOrZero(() -> root.describeAcls(AclBindingFilter.ANY).values()) >= bindings.size());
        }
        for (KafkaUser user : users) {
            String name = user.getMetadata().getName();
            await("SCRAM login of " + name, () -> {
                try (Admin a = Admin.create(clientConfig(name, passwords.get(name)))) {
                    a.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void everyServiceWritesItsOwnTopicsAndItsDeadLetterTopicAndNothingElse() {
        for (Needs n : needs.values()) {
            for (String topic : topics) {
                // a producer per topic: one refusal must not decide the next attempt
                try (KafkaProducer<String, String> producer = producer(n.service())) {
                    Exception failure = send(producer, topic);
                    if (n.writes().contains(topic)) {
                        assertEquals(null, failure, n.service() + " must be able to write " + topic);
                    } else {
                        assertAuthorizationFailure(failure, n.service() + " writing " + topic);
                    }
                }
            }
        }
    }

    @Test
    void aForgedUserEventFromPostServiceIsRefused() {
        try (KafkaProducer<String, String> producer = producer("post-service")) {
            Exception failure = send(producer, "conduit.users",
                    "{\"type\":\"UserProfileChanged\",\"data\":{\"username\":\"jake\",\"bio\":\"forged\"}}");
            assertAuthorizationFailure(failure, "post-service writing a UserProfileChanged into conduit.users");
        }
    }

    @Test
    void everyConsumerReadsWhatItConsumesInItsOwnGroupAndCommits() {
        for (Needs n : needs.values()) {
            if (!n.consumer()) {
                continue;
            }
            try (KafkaConsumer<String, String> consumer = consumer(n.service(), n.group())) {
                consumer.subscribe(List.copyOf(n.consumes()));
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200));
                }
                assertFalse(consumer.assignment().isEmpty(), n.service() + " gets no partitions of " + n.consumes());
                consumer.poll(Duration.ofMillis(500));
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                consumer.assignment().forEach(tp -> offsets.put(tp, new OffsetAndMetadata(0)));
                consumer.commitSync(offsets, Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void noServiceReadsATopicItDoesNotConsumeOrJoinsAnotherGroup() {
        Set<String> groups = new TreeSet<>();
        needs.values().stream().filter(Needs::consumer).forEach(n -> groups.add(n.group()));
        for (Needs n : needs.values()) {
            for (String topic : topics) {
                if (n.consumes().contains(topic)) {
                    continue;
                }
                // its own group where it has one, so that only the topic can be refused
                String group = n.consumer() ? n.group() : n.service();
                assertAuthorizationFailure(poll(n.service(), group, topic), n.service() + " reading " + topic);
            }
            for (String group : groups) {
                if (!group.equals(n.group()) && !n.consumes().isEmpty()) {
                    assertAuthorizationFailure(poll(n.service(), group, n.consumes().iterator().next()),
                            n.service() + " joining group " + group);
                }
            }
        }
    }

    @Test
    void theBrokerCheckWorksAndTopicsCannotBeCreated() throws Exception {
        for (String user : passwords.keySet()) {
            try (Admin admin = Admin.create(clientConfig(user, passwords.get(user)))) {
                assertNotNull(admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS), user + ": describeCluster");
                ExecutionException e = expectFailure(() -> admin.createTopics(List.of(new NewTopic("conduit.forged", 1, (short) 1)))
                        .all().get(10, TimeUnit.SECONDS));
                assertAuthorizationFailure(e, user + " creating a topic");
            }
        }
    }

    @Test
    void theOutsideConsumerReadsTheEventTopicsInItsOwnGroupsAndWritesNothing() {
        String outside = "outside-consumer";
        assertTrue(passwords.containsKey(outside), "no KafkaUser " + outside + " in " + TARGET);
        Set<String> events = ServiceContract.topicOwners().keySet();
        try (KafkaConsumer<String, String> consumer = consumer(outside, "outside-analytics")) {
            consumer.subscribe(List.copyOf(events));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            assertEquals(events.size() * 3, consumer.assignment().size(), "every partition of " + events);
            consumer.poll(Duration.ofMillis(500));
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            consumer.assignment().forEach(tp -> offsets.put(tp, new OffsetAndMetadata(0)));
            consumer.commitSync(offsets, Duration.ofSeconds(10));
        }
        for (String topic : topics) {
            try (KafkaProducer<String, String> producer = producer(outside)) {
                assertAuthorizationFailure(send(producer, topic), outside + " writing " + topic);
            }
        }
        for (Needs n : needs.values()) {
            if (n.consumer()) {
                assertAuthorizationFailure(poll(outside, n.group(), "conduit.users"), outside + " joining group " + n.group());
                assertAuthorizationFailure(poll(outside, "outside-analytics", n.deadLetter()), outside + " reading " + n.deadLetter());
            }
        }
    }

    /**
     * A Kafka Streams application (trending-service) on its own prefix: it creates an internal topic,
     * writes it in a transaction with a transactional id of its prefix (exactly_once_v2) and reads it
     * in its group; a transactional id outside its prefix and a topic outside it are refused.
     */
    @Test
    void aStreamsApplicationCreatesAndWritesItsOwnTopicsTransactionallyAndNothingElse() throws Exception {
        for (Needs n : needs.values()) {
            if (!n.streams()) {
                continue;
            }
            String id = n.applicationId().orElseThrow();
            String changelog = id + "-acl-test-store-changelog";
            try (Admin admin = Admin.create(clientConfig(n.service(), passwords.get(n.service())))) {
                admin.createTopics(List.of(new NewTopic(changelog, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                assertAuthorizationFailure(expectFailure(() -> admin.createTopics(List.of(new NewTopic("trending-forged", 1, (short) 1)))
                        .all().get(10, TimeUnit.SECONDS)), n.service() + " creating a topic outside its prefix");
            }
            if (n.exactlyOnce()) {
                try (KafkaProducer<String, String> producer = transactional(n.service(), id + "-" + UUID.randomUUID() + "-0")) {
                    producer.initTransactions();
                    producer.beginTransaction();
                    producer.send(new ProducerRecord<>(changelog, "key", "1")).get(15, TimeUnit.SECONDS);
                    producer.commitTransaction();
                }
                try (KafkaProducer<String, String> producer = transactional(n.service(), "post-service-0")) {
                    Exception failure = null;
                    try {
                        producer.initTransactions();
                    } catch (Exception e) {
                        failure = e;
                    }
                    assertAuthorizationFailure(failure, n.service() + " using transactional id post-service-0");
                }
            }
            try (KafkaConsumer<String, String> consumer = consumer(n.service(), n.group())) {
                consumer.subscribe(List.of(changelog));
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200));
                }
                assertFalse(consumer.assignment().isEmpty(), n.service() + " gets no partition of its own " + changelog);
            }
        }
    }

    private KafkaProducer<String, String> transactional(String user, String transactionalId) {
        Map<String, Object> config = clientConfig(user, passwords.get(user));
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    @Test
    void aWrongPasswordIsRefused() {
        try (Admin admin = Admin.create(clientConfig("user-service", "not-the-password"))) {
            ExecutionException e = expectFailure(() -> admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof SaslAuthenticationException, "expected a SASL failure, got " + e.getCause());
        }
    }

    // ---- the broker --------------------------------------------------------------------------

    /**
     * One KRaft node. CLIENT: SASL_PLAINTEXT with SCRAM-SHA-512, where the users connect; ADMIN and
     * CONTROLLER: plaintext, whose principal (ANONYMOUS) is the one super user, as Strimzi's operators
     * are over their own listener.
     */
    private Properties brokerProperties(int client, int admin, int controller) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
        p.put("listeners", "CLIENT://127.0.0.1:" + client + ",ADMIN://127.0.0.1:" + admin + ",CONTROLLER://127.0.0.1:" + controller);
        p.put("advertised.listeners", "CLIENT://127.0.0.1:" + client + ",ADMIN://127.0.0.1:" + admin);
        p.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,ADMIN:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "ADMIN");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("listener.name.client.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:ANONYMOUS");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("auto.create.topics.enable", "false");
        p.put("log.dirs", dir.resolve("log").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        return p;
    }

    private void format(Properties props) throws IOException {
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "KafkaAclBrokerTest");
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            fail("formatting Kafka storage failed: " + buffer.toString(StandardCharsets.UTF_8));
        }
    }

    /** A KafkaUser's ACLs as the User Operator writes them: one allow binding per operation, principal User:name. */
    static List<AclBinding> bindings(KafkaUser user) {
        List<AclBinding> out = new ArrayList<>();
        if (!(user.getSpec().getAuthorization() instanceof KafkaUserAuthorizationSimple simple)) {
            return out;
        }
        for (AclRule rule : Policies.list(simple.getAcls())) {
            ResourcePattern pattern;
            if (rule.getResource() instanceof AclRuleTopicResource t) {
                pattern = new ResourcePattern(ResourceType.TOPIC, t.getName(), patternType(t.getPatternType()));
            } else if (rule.getResource() instanceof AclRuleGroupResource g) {
                pattern = new ResourcePattern(ResourceType.GROUP, g.getName(), patternType(g.getPatternType()));
            } else if (rule.getResource() instanceof AclRuleTransactionalIdResource x) {
                pattern = new ResourcePattern(ResourceType.TRANSACTIONAL_ID, x.getName(), patternType(x.getPatternType()));
            } else if (rule.getResource() instanceof AclRuleClusterResource) {
                pattern = new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
            } else {
                throw new IllegalStateException("unknown ACL resource " + rule.getResource());
            }
            List<AclOperation> operations = new ArrayList<>(Policies.list(rule.getOperations()));
            if (rule.getOperation() != null) {
                operations.add(rule.getOperation());
            }
            for (AclOperation op : operations) {
                out.add(new AclBinding(pattern, new AccessControlEntry("User:" + user.getMetadata().getName(),
                        rule.getHost() == null ? "*" : rule.getHost(),
                        kafkaOperation(op), AclPermissionType.ALLOW)));
            }
        }
        return out;
    }

    /** Strimzi's operation names are Kafka's without the underscore (DescribeConfigs, DESCRIBE_CONFIGS). */
    static org.apache.kafka.common.acl.AclOperation kafkaOperation(AclOperation op) {
        org.apache.kafka.common.acl.AclOperation kafka = org.apache.kafka.common.acl.AclOperation.fromString(
                op.toValue().replaceAll("([a-z])([A-Z])", "$1_$2"));
        if (kafka == org.apache.kafka.common.acl.AclOperation.UNKNOWN) {
            throw new IllegalStateException("no Kafka operation for Strimzi's " + op.toValue());
        }
        return kafka;
    }

    private static PatternType patternType(AclResourcePatternType type) {
        return type == AclResourcePatternType.PREFIX ? PatternType.PREFIXED : PatternType.LITERAL;
    }

    // ---- clients as the services run them ------------------------------------------------------

    private Map<String, Object> clientConfig(String user, String password) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, clientBootstrap);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put("sasl.mechanism", "SCRAM-SHA-512");
        // the line Strimzi puts into the user's Secret (key sasl.jaas.config)
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return config;
    }

    /** The outbox relay's producer settings (service-support's shared defaults). */
    private KafkaProducer<String, String> producer(String user) {
        Map<String, Object> config = clientConfig(user, passwords.get(user));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer(String user, String group) {
        Map<String, Object> config = clientConfig(user, passwords.get(user));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2000);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static Exception send(KafkaProducer<String, String> producer, String topic) {
        return send(producer, topic, "{\"type\":\"Probe\"}");
    }

    /** Null when the broker acknowledged the record, else why not. */
    private static Exception send(KafkaProducer<String, String> producer, String topic, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, "key", value)).get(15, TimeUnit.SECONDS);
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    /**
     * What reading the topic in the group ends in: join and get partitions (Describe on the topic,
     * Read on the group), fetch (Read on the topic) and commit an offset for every partition (Read on
     * both). Describe alone gets partitions assigned, so the fetch and the commit are what prove Read.
     */
    private Exception poll(String user, String group, String topic) {
        try (KafkaConsumer<String, String> consumer = consumer(user, group)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            assertFalse(consumer.assignment().isEmpty(), user + " got no partitions of " + topic + " and no refusal either");
            consumer.poll(Duration.ofMillis(500));
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            consumer.assignment().forEach(tp -> offsets.put(tp, new OffsetAndMetadata(0)));
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static void assertAuthorizationFailure(Exception failure, String what) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof AuthorizationException)) {
            cause = cause.getCause();
        }
        if (cause == null) {
            fail(what + " must be refused by the broker's ACLs, but " + (failure == null ? "it succeeded" : "failed otherwise: " + failure));
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static ExecutionException expectFailure(Call call) {
        try {
            call.run();
        } catch (ExecutionException e) {
            return e;
        } catch (Exception e) {
            fail("expected the broker to refuse, got " + e);
        }
        fail("expected the broker to refuse, but it succeeded");
        return null;
    }

    private interface Sized {
        java.util.concurrent.Future<? extends java.util.Collection<?>> get();
    }

    private static int sizeOrZero(Sized call) {
        try {
            return call.get().get(5, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            return 0;
        }
    }

    private static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        fail("timed out waiting for " + what);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.conduit.localstack;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process), run in a
 * child JVM. Arguments: data dir, client port, controller port. Prints {@value #READY} once it serves.
 */
public final class KafkaServerMain {

    public static final String READY = "CONDUIT-READY";

    /**
     * The services' event topics (the events module's {@code Topics}), created before the broker says
     * it is ready: a Kafka Streams application (trending-service) does not start on a source topic that
     * does not exist yet, where a plain consumer would wait for the first producer to create it.
     */
    static final List<String> EVENT_TOPICS = List.of("conduit.users", "conduit.posts", "conduit.comments");
    /** As many as an auto-created topic gets ({@code num.partitions}) and as {@code k8s/base/topics.yaml} declares. */
    static final int EVENT_TOPIC_PARTITIONS = 3;

    private KafkaServerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: KafkaServerMain <data-dir> <port> <controller-port>");
            System.exit(2);
        }
        ParentWatch.install();
        try {
            Path dir = Path.of(args[0]).toAbsolutePath();
            int port = Integer.parseInt(args[1]);
            int controllerPort = Integer.parseInt(args[2]);
            Properties props = properties(dir, port, controllerPort);
            formatIfNew(dir, props);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.shutdown();
                server.awaitShutdown();
            }, "kafka-shutdown"));
            server.startup();
            createEventTopics(port);
            System.out.println(READY + " kafka 127.0.0.1:" + port);
            System.out.flush();
            server.awaitShutdown();
        } catch (Throwable e) {
            System.err.println("FATAL kafka: " + describe(e));
            e.printStackTrace();
            System.exit(1);
        }
    }

    static Properties properties(Path dir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dir.resolve("log").toString());
        p.put("num.partitions", "3");
        p.put("auto.create.topics.enable", "true");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        // exactly-once (trending-service's Kafka Streams, exactly_once_v2) needs the transaction state
        // log, whose defaults (3 replicas, min ISR 2) a single broker can never satisfy
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // after a kill -9 the restarted broker cannot register again until the controller has fenced
        // its previous incarnation (DUPLICATE_BROKER_REGISTRATION): a 2 s session instead of 9 s
        // brings a crashed broker back that much sooner; it heartbeats to itself every 0.5 s
        p.put("broker.session.timeout.ms", "2000");
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        // the default 128 MiB dedupe buffer is most of a small broker's heap
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        return p;
    }

    /** Creates the event topics that do not exist yet (a restart on old data finds them all). */
    private static void createEventTopics(int port) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port))) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = EVENT_TOPICS.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, EVENT_TOPIC_PARTITIONS, (short) 1)).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /** Storage is formatted once; formatting again with a new cluster id would fail on restart. */
    private static void formatIfNew(Path dir, Properties props) throws IOException {
        Path logDir = dir.resolve("log");
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        Files.createDirectories(logDir);
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "written by the Conduit local stack");
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("formatting Kafka storage in " + logDir + " failed: "
                    + buffer.toString(StandardCharsets.UTF_8).strip());
        }
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}

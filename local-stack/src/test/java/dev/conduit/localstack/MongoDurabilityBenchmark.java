package dev.conduit.localstack;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.conduit.localstack.mongo.Durability;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What durable acknowledgements cost: inserts/s (and, for comparison, reads/s) against the
 * MongoDB-wire server on an H2 file, with 1 and with 16 concurrent connections, for each
 * {@link Durability}. Prints figures, asserts nothing; not run by default:
 *
 * <pre>./mvnw -B -ntp -q -pl local-stack test -Dtest=MongoDurabilityBenchmark -Dbenchmark=true [-Dbenchmark.seconds=5]</pre>
 *
 * or {@code main} with the test classpath.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class MongoDurabilityBenchmark {

    /** The server JVM's options, as {@link Servers} starts it. */
    private static final List<String> SERVER_JVM_OPTS = List.of(
            "-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    @Test
    void measure() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        Duration each = Duration.ofSeconds(Long.getLong("benchmark.seconds", 5));
        String modes = System.getProperty("benchmark.modes", "off,write,fsync");
        Path dir = Files.createTempDirectory("mongo-durability-bench");
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-6s %14s %15s %12s %10s", "mode", "inserts/s x1", "inserts/s x16", "reads/s x1", "file MB"));
        for (String mode : modes.split(",")) {
            Durability durability = Durability.parse(mode);
            Path file = dir.resolve(mode).resolve("bench.mv");
            int port = Ports.free();
            ChildProcess server = start(durability, file, port, dir.resolve(mode + ".log"));
            try {
                server.awaitReady(Servers.ready(), Duration.ofSeconds(60));
                try (MongoClient client = MongoClients.create(MongoClientSettings.builder()
                        .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + port))
                        .applyToConnectionPoolSettings(b -> b.maxSize(32).minSize(16))
                        .build())) {
                    MongoCollection<Document> docs = client.getDatabase("bench").getCollection("docs");
                    AtomicLong ids = new AtomicLong();
                    inserts(docs, ids, 1, Duration.ofSeconds(2)); // warm-up
                    double one = inserts(docs, ids, 1, each);
                    double sixteen = inserts(docs, ids, 16, each);
                    double reads = reads(docs, ids.get(), each);
                    server.stop(Duration.ofSeconds(20));
                    double mb = Files.size(file) / 1e6;
                    lines.add(String.format("%-6s %14.0f %15.0f %12.0f %10.1f", mode, one, sixteen, reads, mb));
                    System.out.println(lines.get(lines.size() - 1));
                }
            } finally {
                server.stop(Duration.ofSeconds(20));
            }
            Files.readAllLines(dir.resolve(mode + ".log")).stream().filter(l -> l.startsWith("mongo:"))
                    .forEach(l -> System.out.println("  " + mode + " " + l));
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.out.println();
        System.out.println("MongoDB-wire server on H2, " + Runtime.getRuntime().availableProcessors() + " cores, "
                + each.toSeconds() + " s per figure, documents of ~250 bytes");
        lines.forEach(System.out::println);
    }

    private static ChildProcess start(Durability durability, Path file, int port, Path log) {
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(SERVER_JVM_OPTS);
        command.add("-D" + Durability.PROPERTY + "=" + durability.name().toLowerCase());
        command.add("-cp");
        command.add(Servers.classpath());
        command.add(MongoServerMain.class.getName());
        command.add(String.valueOf(port));
        command.add(file.toString());
        return ChildProcess.start("mongo-" + durability, command, Map.of(), log);
    }

    /** Inserts from {@code threads} threads for {@code duration}; returns acknowledged inserts per second. */
    private static double inserts(MongoCollection<Document> docs, AtomicLong ids, int threads, Duration duration)
            throws InterruptedException {
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    docs.insertOne(new Document("_id", ids.incrementAndGet())
                            .append("title", "a title").append("body", "x".repeat(200)));
                    done.increment();
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return done.sum() / ((System.nanoTime() - start) / 1e9);
    }

    private static double reads(MongoCollection<Document> docs, long maxId, Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        long done = 0;
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        while (System.nanoTime() < end) {
            if (docs.find(Filters.eq("_id", 1 + random.nextLong(maxId))).first() == null) {
                throw new IllegalStateException("a document is missing");
            }
            done++;
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }

    static {
        // the driver logs every connection at INFO through slf4j-simple; the figures are what matters
        System.setProperty("org.slf4j.simpleLogger.log.org.mongodb.driver", "warn");
    }
}

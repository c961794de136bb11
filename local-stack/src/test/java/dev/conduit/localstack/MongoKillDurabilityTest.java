package dev.conduit.localstack;

import com.mongodb.MongoClientSettings;
import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, point 8: a write the MongoDB-wire server on H2 acknowledged survives {@code kill -9} of
 * that server. Without the fix (H2's background auto-commit only) the writes of the last second
 * before the kill are gone after the restart.
 */
class MongoKillDurabilityTest {

    private static final Duration READY = Duration.ofSeconds(60);
    private static final int SEQUENTIAL = 300;
    private static final int WRITERS = 4;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesASigkillOfTheServer() throws Exception {
        Path file = dir.resolve("mongo").resolve("conduit.mv");
        Path log = dir.resolve("mongo.log");
        Queue<String> acknowledged = new ConcurrentLinkedQueue<>();

        int port = Ports.free();
        ChildProcess mongo = Servers.startMongo(file, port, log);
        try {
            mongo.awaitReady(Servers.ready(), READY);
            try (MongoClient client = client(port)) {
                MongoCollection<Document> docs = docs(client);
                // concurrent writers keep the server under load until it is killed
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    String prefix = "w" + w + "-";
                    Thread writer = new Thread(() -> {
                        for (int i = 0; !stop.get(); i++) {
                            try {
                                docs.insertOne(new Document("_id", prefix + i).append("payload", "x".repeat(200)));
                                acknowledged.add(prefix + i);
                            } catch (RuntimeException e) {
                                return; // the server was killed
                            }
                        }
                    }, "writer-" + w);
                    writer.start();
                    writers.add(writer);
                }
                // and this thread: inserts, then an update and a delete, the last writes before the kill
                for (int i = 0; i < SEQUENTIAL; i++) {
                    docs.insertOne(new Document("_id", "s-" + i).append("n", i));
                }
                assertEquals(1, docs.updateOne(Filters.eq("_id", "s-0"), Updates.set("updated", true)).getModifiedCount());
                assertEquals(1, docs.deleteOne(Filters.eq("_id", "s-1")).getDeletedCount());

                ProcessHandle server = ProcessHandle.of(mongo.pid()).orElseThrow();
                assertTrue(server.destroyForcibly(), "SIGKILL sent");
                server.onExit().get(20, TimeUnit.SECONDS);
                stop.set(true);
                for (Thread writer : writers) {
                    writer.join(TimeUnit.SECONDS.toMillis(30));
                    assertFalse(writer.isAlive(), writer.getName() + " still runs after the kill");
                }
            }
        } finally {
            mongo.stop(Duration.ofSeconds(20));
        }
        assertFalse(mongo.isAlive());
        assertFalse(acknowledged.isEmpty(), "the concurrent writers got no write acknowledged");

        long storedAfterKill;
        int portAgain = Ports.free();
        ChildProcess again = Servers.startMongo(file, portAgain, log);
        try {
            again.awaitReady(Servers.ready(), READY);
            try (MongoClient client = client(portAgain)) {
                MongoCollection<Document> docs = docs(client);
                Set<Object> stored = new HashSet<>();
                docs.find().projection(new Document("_id", 1)).forEach(d -> stored.add(d.get("_id")));

                List<String> expected = new ArrayList<>(acknowledged);
                for (int i = 0; i < SEQUENTIAL; i++) {
                    if (i != 1) {
                        expected.add("s-" + i);
                    }
                }
                List<String> lost = expected.stream().filter(id -> !stored.contains(id)).toList();
                System.out.printf("kill -9 under load: %d acknowledged inserts (%d concurrent), %d lost%n",
                        expected.size(), acknowledged.size(), lost.size());
                assertTrue(lost.isEmpty(), lost.size() + " of " + expected.size() + " acknowledged inserts lost after kill -9: "
                        + lost.subList(0, Math.min(10, lost.size())) + (lost.size() > 10 ? " ..." : ""));

                Document updated = docs.find(Filters.eq("_id", "s-0")).first();
                assertNotNull(updated);
                assertEquals(Boolean.TRUE, updated.getBoolean("updated"), "the acknowledged update was lost");
                assertNull(docs.find(Filters.eq("_id", "s-1")).first(), "the acknowledged delete was lost");
                storedAfterKill = stored.size();
            }
        } finally {
            again.stop(Duration.ofSeconds(20));
        }

        // a clean stop (SIGTERM: commit, fsync, bounded compaction) keeps all of it for the next start
        int portThird = Ports.free();
        ChildProcess third = Servers.startMongo(file, portThird, log);
        try {
            third.awaitReady(Servers.ready(), READY);
            try (MongoClient client = client(portThird)) {
                assertEquals(storedAfterKill, docs(client).countDocuments());
            }
        } finally {
            third.stop(Duration.ofSeconds(20));
        }
    }

    private static MongoClient client(int port) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + port))
                .retryWrites(false)
                .applyToClusterSettings(b -> b.serverSelectionTimeout(3, TimeUnit.SECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(3, TimeUnit.SECONDS).readTimeout(30, TimeUnit.SECONDS))
                .build());
    }

    private static MongoCollection<Document> docs(MongoClient client) {
        return client.getDatabase("durability").getCollection("docs");
    }
}

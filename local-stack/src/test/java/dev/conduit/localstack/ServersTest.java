package dev.conduit.localstack;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real servers in child JVMs: they serve, keep their data across a restart, and fail clearly. */
class ServersTest {

    private static final Duration READY = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void kafkaServesAndKeepsRecordsAcrossARestart() throws Exception {
        int port = Ports.free();
        int controller = Ports.free();
        String topic = "t-" + UUID.randomUUID();
        ChildProcess kafka = Servers.startKafka(dir.resolve("kafka"), port, controller, dir.resolve("kafka.log"));
        try {
            kafka.awaitReady(Servers.ready(), READY);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port))) {
                Map<String, TopicDescription> topics = admin.describeTopics(KafkaServerMain.EVENT_TOPICS).allTopicNames()
                        .get(30, TimeUnit.SECONDS);
                KafkaServerMain.EVENT_TOPICS.forEach(t -> assertEquals(3, topics.get(t).partitions().size(),
                        t + " exists with 3 partitions when the broker says it is ready"));
            }
            // a transaction on one broker (exactly-once processing, as Kafka Streams does it)
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port,
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "servers-test",
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "user-1", "hello")).get();
                producer.commitTransaction();
            }
        } finally {
            kafka.stop(Duration.ofSeconds(30));
        }
        assertFalse(kafka.isAlive());

        ChildProcess again = Servers.startKafka(dir.resolve("kafka"), port, controller, dir.resolve("kafka.log"));
        try {
            again.awaitReady(Servers.ready(), READY);
            try (KafkaCompanion companion = new KafkaCompanion("127.0.0.1:" + port)) {
                List<ConsumerRecord<String, String>> records = companion.consumeStrings().fromTopics(topic, 1)
                        .awaitCompletion(Duration.ofSeconds(30)).getRecords();
                assertEquals(1, records.size());
                assertEquals("user-1", records.get(0).key());
                assertEquals("hello", records.get(0).value());
            }
        } finally {
            again.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void mongoOnH2KeepsDocumentsAcrossARestart() {
        int port = Ports.free();
        Path file = dir.resolve("mongo").resolve("conduit.mv");
        ChildProcess mongo = Servers.startMongo(file, port, dir.resolve("mongo.log"));
        try {
            mongo.awaitReady(Servers.ready(), READY);
            try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port)) {
                client.getDatabase("users").getCollection("users").insertOne(new Document("username", "jake"));
            }
        } finally {
            mongo.stop(Duration.ofSeconds(20));
        }
        ChildProcess again = Servers.startMongo(file, port, dir.resolve("mongo.log"));
        try {
            again.awaitReady(Servers.ready(), READY);
            try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port)) {
                MongoCollection<Document> users = client.getDatabase("users").getCollection("users");
                assertEquals("jake", users.find().first().getString("username"));
            }
        } finally {
            again.stop(Duration.ofSeconds(20));
        }
    }

    @Test
    void aCorruptDataFileFailsWithTheReasonAndTheLog() throws Exception {
        Path file = Files.createDirectories(dir.resolve("mongo")).resolve("conduit.mv");
        Files.writeString(file, "this is not an H2 store".repeat(200));
        ChildProcess mongo = Servers.startMongo(file, Ports.free(), dir.resolve("mongo.log"));
        LaunchException e = assertThrows(LaunchException.class, () -> mongo.awaitReady(Servers.ready(), READY));
        assertTrue(e.getMessage().startsWith("mongo exited with code 1 before it was ready: FATAL mongo:"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("mongo.log").toString()), e.getMessage());
    }
}

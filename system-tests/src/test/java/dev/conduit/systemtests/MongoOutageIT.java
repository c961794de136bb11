package dev.conduit.systemtests;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.localstack.Platform;
import dev.conduit.localstack.testing.TestTokens;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A MongoDB outage longer than any limit a consumer used to have (SmallRye's throttled commit
 * strategy failed a channel whose record waited more than 60 s): the consumer holds the event,
 * retries, and applies it once MongoDB is back; nothing is dead-lettered, nothing is restarted.
 * A service killed during the outage starts again once and waits, unready, for MongoDB (it used
 * to fail its start on the index creation and crash-loop).
 * {@code -Dconduit.outage.seconds=300} tries a five-minute outage.
 */
class MongoOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("conduit.outage.seconds", 70));
    private static final String DEAD_LETTERS = "conduit.dlq.post-service";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aReadModelWaitsOutAMongoOutageLongerThanAMinuteAndCatchesUpWithoutARestart() throws Exception {
        Platform platform = SharedPlatform.get();
        JourneyIT.User user = JourneyIT.register("mo");
        String slug = user.as().body(Map.of("article", Map.of("title", "Outage " + user.username(), "description", "d", "body", "b")))
                .post("/articles").then().statusCode(201).extract().path("article.slug");
        String userId = subject(user.token());
        String renamed = "mo" + UUID.randomUUID().toString().substring(0, 8);
        UUID eventId = UUID.randomUUID();
        int restartsBefore = platform.restarts("post-service");
        int commentRestartsBefore = platform.restarts("comment-service");

        long start = System.nanoTime();
        platform.stopService("mongo");
        try {
            // what user-service would publish for a rename: version 2 of the user, after the registration
            publish(platform, userId, eventId, Map.of("eventId", eventId.toString(), "type", "UserProfileChanged",
                    "schemaVersion", 1, "aggregateId", userId, "aggregateVersion", 2, "occurredAt", Instant.now().toString(),
                    "data", mapOf("userId", userId, "username", renamed, "bio", null, "image", null)));
            // a service that crashes during the outage starts again, unready, instead of crash-looping
            ProcessHandle comments = platform.process("comment-service").orElseThrow();
            comments.destroyForcibly();
            // the outage lasts OUTAGE; all along post-service stays alive and live, its consumer waiting
            await().during(OUTAGE).atMost(OUTAGE.plusSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> status(platform.settings().postManagementPort(), "/q/health/live") == 200
                            && platform.isRunning("post-service"));
        } finally {
            platform.startService("mongo");
        }
        double outage = (System.nanoTime() - start) / 1e9;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given(SharedPlatform.api()).get("/articles/" + slug)
                .then().statusCode(200).body("article.author.username", equalTo(renamed)));
        double caughtUp = (System.nanoTime() - start) / 1e9 - outage;
        System.out.printf("MongoDB down %.0f s: the held event was applied %.1f s after MongoDB was back, "
                + "no restart, nothing dead-lettered%n", outage, caughtUp);

        assertEquals(restartsBefore, platform.restarts("post-service"), "post-service was not restarted");
        await().atMost(Duration.ofSeconds(60)).until(() -> platform.isRunning("comment-service"));
        assertEquals(commentRestartsBefore + 1, platform.restarts("comment-service"),
                "comment-service, killed during the outage, started once and waited for MongoDB");
        assertEquals(200, status(platform.settings().postManagementPort(), "/q/health/live"));
        List<ConsumerRecord<String, String>> parked = deadLetters(platform);
        assertTrue(parked.stream().noneMatch(r -> r.value() != null && r.value().contains(eventId.toString())),
                "the held event was dead-lettered: " + parked);
    }

    private static Map<String, Object> mapOf(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String subject(String token) throws Exception {
        return TestTokens.claims(token).getString("sub");
    }

    private void publish(Platform platform, String key, UUID eventId, Map<String, Object> envelope) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(platform),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>("conduit.users", key, new ObjectMapper().writeValueAsString(envelope));
            record.headers().add("conduit-event-type", "UserProfileChanged".getBytes(StandardCharsets.UTF_8));
            record.headers().add("conduit-event-id", eventId.toString().getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
    }

    private List<ConsumerRecord<String, String>> deadLetters(Platform platform) {
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(platform)) {
            List<TopicPartition> partitions = consumer.partitionsFor(DEAD_LETTERS, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(all::add);
            }
        }
        return all;
    }

    private KafkaConsumer<String, String> consumer(Platform platform) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(platform),
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "true"), new StringDeserializer(), new StringDeserializer());
    }

    private static String bootstrap(Platform platform) {
        return "127.0.0.1:" + platform.settings().kafkaPort();
    }

    private int status(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}

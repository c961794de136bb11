package dev.conduit.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.events.CloudEvents;
import dev.conduit.events.Topics;
import dev.conduit.events.user.UserRegistered;
import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.EventContract;
import dev.conduit.localstack.testing.TestServers;
import dev.conduit.support.outbox.PendingEvents;
import dev.conduit.user.repository.UserRepository;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The events on the real broker: key, type, version, payload, and no loss while Kafka is down. */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class EventsTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;


    private static final Duration WAIT = Duration.ofSeconds(60);

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Inject
    ObjectMapper json;
    @Inject
    PendingEvents events;
    @Inject
    UserRepository users;

    @Test
    void everyChangeIsPublishedKeyedByUserWithRisingVersions() throws Exception {
        Users.Registered jake = Users.register();
        Users.Registered anna = Users.register();
        String jakeId = AuthenticationTest.subject(jake.token());
        String annaId = AuthenticationTest.subject(anna.token());
        given().header("Authorization", jake.auth()).contentType(ContentType.JSON)
                .body(Map.of("user", Map.of("bio", "skater", "email", "new-" + jake.email()))).put("/user").then().statusCode(200);
        given().header("Authorization", jake.auth()).post("/profiles/" + anna.username() + "/follow").then().statusCode(200);
        given().header("Authorization", jake.auth()).delete("/profiles/" + anna.username() + "/follow").then().statusCode(200);

        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            List<ConsumerRecord<String, String>> records = List.copyOf(kafka.consumeStrings()
                    .fromTopics(Topics.USERS, m -> m.select().where(r -> jakeId.equals(r.key())))
                    .awaitRecords(4, WAIT).getRecords());
            assertEquals(List.of("UserRegistered", "UserProfileChanged", "UserFollowed", "UserUnfollowed"),
                    records.stream().map(r -> header(r, "conduit-event-type")).toList());
            long previous = 0;
            for (ConsumerRecord<String, String> record : records) {
                EventContract.assertValid(record);
                JsonNode event = json.readTree(record.value());
                assertEquals(CloudEvents.source("user-service"), header(record, "ce_source"));
                assertEquals(event.get("eventId").asText(), header(record, "ce_id"));
                assertEquals(jakeId, header(record, "ce_subject"));
                assertEquals(jakeId, event.get("aggregateId").asText());
                assertEquals(record.key(), event.get("aggregateId").asText());
                assertEquals(header(record, "conduit-event-type"), event.get("type").asText());
                assertEquals(header(record, "conduit-event-id"), event.get("eventId").asText());
                UUID.fromString(event.get("eventId").asText());
                assertNotNull(Instant.parse(event.get("occurredAt").asText()));
                assertEquals(1, event.get("schemaVersion").asInt());
                long version = event.get("aggregateVersion").asLong();
                assertTrue(version > previous, "versions must rise: " + records);
                previous = version;
                assertFalse(record.value().contains("passwordHash"), record.value());
                assertFalse(record.value().contains("@"), "no email in events: " + record.value());
            }
            JsonNode registered = json.readTree(records.get(0).value());
            assertEquals(1, registered.get("aggregateVersion").asLong());
            assertEquals(jake.username(), registered.at("/data/username").asText());
            assertTrue(registered.at("/data/bio").isNull());
            JsonNode changed = json.readTree(records.get(1).value()).get("data");
            assertEquals("skater", changed.get("bio").asText());
            assertEquals(jake.username(), changed.get("username").asText());
            JsonNode followed = json.readTree(records.get(2).value()).get("data");
            assertEquals(jakeId, followed.get("followerId").asText());
            assertEquals(annaId, followed.get("followeeId").asText());
        }
        assertTrue(users.findById(new ObjectId(jakeId)).await().atMost(Duration.ofSeconds(5)).pendingEvents.isEmpty());
    }

    @Test
    void aWriteWhileKafkaIsDownIsAcknowledgedAndItsEventPublishedOnceKafkaIsBack() throws Exception {
        TestServers.stopKafka();
        String username = Users.unique("offline");
        String userId;
        try {
            // Kafka down degrades, it does not cascade: still ready (the outbox takes the write),
            // and the platform view names the broker
            given().baseUri(TestServers.managementRoot(management)).get("/q/health/group/platform").then().statusCode(503)
                    .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("DOWN"));
            given().baseUri(TestServers.managementRoot(management)).get("/q/health/ready").then().statusCode(200);
            String token = given().contentType(ContentType.JSON)
                    .body(Map.of("user", Map.of("username", username, "email", username + "@x.io", "password", Users.PASSWORD)))
                    .post("/users").then().statusCode(201).extract().path("user.token");
            userId = AuthenticationTest.subject(token);
            assertEquals(1, users.findById(new ObjectId(userId)).await().atMost(Duration.ofSeconds(5)).pendingEvents.size(),
                    "the event waits in the outbox");
        } finally {
            TestServers.restoreKafka(management);
        }
        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            ConsumerTask<String, String> published = kafka.consumeStrings()
                    .fromTopics(Topics.USERS, m -> m.select().where(r -> userId.equals(r.key())));
            List<ConsumerRecord<String, String>> records = List.copyOf(published.awaitRecords(1, WAIT).getRecords());
            assertEquals(1, records.size(), "published once Kafka is back");
            EventContract.assertValid(records.get(0));
            JsonNode event = json.readTree(records.get(0).value());
            assertEquals("UserRegistered", event.get("type").asText());
            assertEquals(username, event.at("/data/username").asText());
            await().during(Duration.ofSeconds(3)).atMost(WAIT).untilAsserted(() -> assertEquals(1,
                    published.stream().map(r -> header(r, "conduit-event-id")).distinct().count(), "one event in effect"));
        }
        await("the outbox is emptied after the ack").atMost(WAIT)
                .until(() -> users.findById(new ObjectId(userId)).await().atMost(Duration.ofSeconds(5)).pendingEvents.isEmpty());
    }

    @Test
    void eventsLeftInTheOutboxByADeadProcessArePublishedByTheSweep() throws Exception {
        // what a crash right after the write leaves behind: the change and its event, never relayed
        UserDocument orphan = new UserDocument();
        orphan.id = new ObjectId();
        orphan.username = Users.unique("crashed");
        orphan.usernameKey = UserDocument.key(orphan.username);
        orphan.email = orphan.username + "@x.io";
        orphan.emailKey = UserDocument.key(orphan.email);
        orphan.version = 1;
        orphan.createdAt = Instant.now();
        orphan.pendingEvents.add(events.of(new UserRegistered(orphan.id.toHexString(), orphan.username, null, null), 1));
        users.persist(orphan).await().atMost(Duration.ofSeconds(5));

        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            List<ConsumerRecord<String, String>> records = List.copyOf(kafka.consumeStrings()
                    .fromTopics(Topics.USERS, m -> m.select().where(r -> orphan.id.toHexString().equals(r.key())))
                    .awaitRecords(1, WAIT).getRecords());
            assertEquals(1, records.size());
            assertEquals(orphan.pendingEvents.get(0).eventId, header(records.get(0), "conduit-event-id"));
            EventContract.assertValid(records.get(0));
        }
        await().atMost(WAIT).until(() -> users.findById(orphan.id).await().atMost(Duration.ofSeconds(5)).pendingEvents.isEmpty());
    }

    @Test
    void everyEventOnTheTopicMatchesTheAsyncApiDocument() {
        // one of its own, then all that the service published in this run (every test of the module so far)
        String userId = AuthenticationTest.subject(Users.register().token());
        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            kafka.consumeStrings().fromTopics(Topics.USERS, m -> m.select().where(r -> userId.equals(r.key()))).awaitRecords(1, WAIT);
        }
        assertTrue(EventContract.assertTopicValid(Topics.USERS) >= 1);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}

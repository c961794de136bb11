package dev.conduit.comment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.comment.Fixtures.User;
import dev.conduit.comment.repository.CommentRepository;
import dev.conduit.events.CloudEvents;
import dev.conduit.events.Topics;
import dev.conduit.localstack.testing.EventContract;
import dev.conduit.localstack.testing.TestServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.conduit.comment.ArticleEventsTest.header;
import static dev.conduit.comment.Fixtures.WAIT;
import static dev.conduit.comment.Fixtures.commentId;
import static dev.conduit.comment.Fixtures.publishedArticle;
import static dev.conduit.comment.Fixtures.unique;
import static dev.conduit.comment.Fixtures.user;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What comment-service publishes, as it is on the real broker, and that no event is lost while Kafka is down. */
@QuarkusTest
@WithTestResource(CommentTestResource.class)
class CommentEventsTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;


    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Inject
    ObjectMapper json;
    @Inject
    CommentRepository comments;

    @Test
    void addingAndDeletingArePublishedKeyedByTheArticle() throws Exception {
        User jake = user();
        String slug = unique("published");
        String articleId = publishedArticle(slug, jake.id());
        long id = commentId(jake, slug, "Great read");
        given().header("Authorization", jake.auth()).delete("/articles/" + slug + "/comments/" + id).then().statusCode(204);

        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            List<ConsumerRecord<String, String>> records = List.copyOf(kafka.consumeStrings()
                    .fromTopics(Topics.COMMENTS, m -> m.select().where(r -> articleId.equals(r.key())))
                    .awaitRecords(2, WAIT).getRecords());
            assertEquals(List.of("CommentAdded", "CommentDeleted"),
                    records.stream().map(r -> header(r, "conduit-event-type")).toList());
            for (int i = 0; i < records.size(); i++) {
                ConsumerRecord<String, String> record = records.get(i);
                EventContract.assertValid(record);
                JsonNode event = json.readTree(record.value());
                assertEquals(CloudEvents.source("comment-service"), header(record, "ce_source"));
                assertEquals(String.valueOf(id), header(record, "ce_subject"), "the subject is the comment, the key its article");
                assertEquals(header(record, "conduit-event-type"), event.get("type").asText());
                assertEquals(header(record, "conduit-event-id"), event.get("eventId").asText());
                UUID.fromString(event.get("eventId").asText());
                assertEquals(String.valueOf(id), event.get("aggregateId").asText(), "the aggregate is the comment");
                assertEquals(i + 1, event.get("aggregateVersion").asLong());
                assertEquals(1, event.get("schemaVersion").asInt());
                assertNotNull(Instant.parse(event.get("occurredAt").asText()));
                assertEquals(id, event.at("/data/commentId").asLong());
                assertEquals(articleId, event.at("/data/articleId").asText());
                assertEquals(jake.id(), event.at("/data/authorId").asText());
            }
            assertEquals("Great read", json.readTree(records.get(0).value()).at("/data/body").asText());
            assertTrue(json.readTree(records.get(1).value()).at("/data/body").isMissingNode(), "a deletion carries no body");
        }
        // the tombstone is gone once its event is out
        await().atMost(WAIT).until(() -> comments.findById(id).await().atMost(Duration.ofSeconds(5)) == null);
    }

    @Test
    void aCommentWrittenWhileKafkaIsDownIsAcknowledgedAndPublishedWhenKafkaIsBack() throws Exception {
        User jake = user();
        String slug = unique("offline");
        String articleId = publishedArticle(slug, jake.id());
        long id;
        TestServers.stopKafka();
        try {
            id = commentId(jake, slug, "written offline");
            assertEquals(1, comments.findById(id).await().atMost(Duration.ofSeconds(5)).pendingEvents.size(),
                    "the event waits in the outbox");
            given().get("/articles/" + slug + "/comments").then().statusCode(200);
        } finally {
            TestServers.restoreKafka(management);
        }
        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            List<ConsumerRecord<String, String>> records = List.copyOf(kafka.consumeStrings()
                    .fromTopics(Topics.COMMENTS, m -> m.select().where(r -> articleId.equals(r.key())))
                    .awaitRecords(1, WAIT).getRecords());
            assertEquals(1, records.size(), "published once Kafka is back");
            assertEquals("CommentAdded", header(records.get(0), "conduit-event-type"));
            EventContract.assertValid(records.get(0));
            assertEquals("written offline", json.readTree(records.get(0).value()).at("/data/body").asText());
        }
        await("the outbox is emptied after the ack").atMost(WAIT)
                .until(() -> comments.findById(id).await().atMost(Duration.ofSeconds(5)).pendingEvents.isEmpty());
    }

    @Test
    void everyEventOnTheTopicMatchesTheAsyncApiDocument() {
        // one of its own, then all that the service published in this run (every test of the module so far)
        User jake = user();
        String slug = unique("contracted");
        String articleId = publishedArticle(slug, jake.id());
        commentId(jake, slug, "by the contract");
        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            kafka.consumeStrings().fromTopics(Topics.COMMENTS, m -> m.select().where(r -> articleId.equals(r.key()))).awaitRecords(1, WAIT);
        }
        assertTrue(EventContract.assertTopicValid(Topics.COMMENTS) >= 1);
    }
}

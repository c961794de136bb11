package dev.conduit.comment;

import dev.conduit.comment.Fixtures.User;
import dev.conduit.comment.readmodel.ArticleRepository;
import dev.conduit.comment.repository.CommentRepository;
import dev.conduit.events.Topics;
import dev.conduit.localstack.testing.EventContract;
import dev.conduit.localstack.testing.TestServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.conduit.comment.Fixtures.WAIT;
import static dev.conduit.comment.Fixtures.article;
import static dev.conduit.comment.Fixtures.awaitGone;
import static dev.conduit.comment.Fixtures.awaitReachable;
import static dev.conduit.comment.Fixtures.comment;
import static dev.conduit.comment.Fixtures.commentId;
import static dev.conduit.comment.Fixtures.postEvent;
import static dev.conduit.comment.Fixtures.publishedArticle;
import static dev.conduit.comment.Fixtures.unique;
import static dev.conduit.comment.Fixtures.user;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The article read model, driven by post events on the real broker: renames, the delete cascade,
 * replayed and out-of-order events, poison records.
 */
@QuarkusTest
@WithTestResource(CommentTestResource.class)
class ArticleEventsTest {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Inject
    ArticleRepository articles;
    @Inject
    CommentRepository comments;

    @Test
    void aRenamedArticleKeepsItsComments() {
        User jake = user();
        String before = unique("old-title");
        String after = unique("new-title");
        String id = publishedArticle(before, jake.id());
        long first = commentId(jake, before, "still here after the rename");

        postEvent(id, "ArticleUpdated", 2, article(id, after, jake.id()));
        awaitReachable(after);
        given().get("/articles/" + after + "/comments").then().statusCode(200).body("comments.id", contains((int) first));
        given().get("/articles/" + before + "/comments").then().statusCode(404);

        long second = commentId(jake, after, "under the new slug");
        given().header("Authorization", jake.auth()).delete("/articles/" + after + "/comments/" + first).then().statusCode(204);
        given().get("/articles/" + after + "/comments").then().body("comments.id", contains((int) second));
    }

    @Test
    void anArticleDeletedOnTheBrokerTakesItsCommentsWithIt() throws Exception {
        User jake = user();
        User anna = user();
        String slug = unique("doomed");
        String id = publishedArticle(slug, jake.id());
        long a = commentId(jake, slug, "one");
        long b = commentId(anna, slug, "two");

        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            ConsumerTask<String, String> deletions = kafka.consumeStrings().fromTopics(Topics.COMMENTS, m -> m.select()
                    .where(r -> id.equals(r.key()) && "CommentDeleted".equals(header(r, "conduit-event-type"))));
            postEvent(id, "ArticleDeleted", 2, Map.of("articleId", id, "slug", slug, "authorId", jake.id()));
            awaitGone(slug);
            // the article is marked deleted first, its comments are removed right after
            await().atMost(WAIT).until(() -> comments.listLive(id, 0, 1000).await().atMost(Duration.ofSeconds(5)).isEmpty());
            comment(anna, slug, "too late").statusCode(404);
            given().header("Authorization", jake.auth()).delete("/articles/" + slug + "/comments/" + a).then().statusCode(404);

            // the cascade tells outside consumers about every comment it removed, keyed by the article
            List<ConsumerRecord<String, String>> deleted = List.copyOf(deletions.awaitRecords(2, WAIT).getRecords());
            assertEquals(2, deleted.size(), "one CommentDeleted per comment");
            deleted.forEach(EventContract::assertValid);
            assertTrue(deleted.stream().anyMatch(r -> r.value().contains("\"commentId\":" + a)));
            assertTrue(deleted.stream().anyMatch(r -> r.value().contains("\"commentId\":" + b)));
        }
        // tombstones go once their events are out
        await().atMost(WAIT).until(() -> comments.count("articleId", id).await().atMost(Duration.ofSeconds(5)) == 0);

        // a redelivered delete, or a replay of the publication, brings nothing back
        postEvent(id, "ArticleDeleted", 2, Map.of("articleId", id, "slug", slug, "authorId", jake.id()));
        postEvent(id, "ArticlePublished", 1, article(id, slug, jake.id()));
        awaitAfter(id);
        given().get("/articles/" + slug + "/comments").then().statusCode(404);
        assertTrue(articles.findById(id).await().atMost(Duration.ofSeconds(5)).deleted);
    }

    @Test
    void replayedAndOutOfOrderEventsLeaveTheNewestState() {
        User jake = user();
        String id = new ObjectId().toHexString();
        String v1 = unique("v1");
        String v2 = unique("v2");
        String v3 = unique("v3");
        // the newest first, then the older ones, then the newest again
        postEvent(id, "ArticleUpdated", 3, article(id, v3, jake.id()));
        postEvent(id, "ArticlePublished", 1, article(id, v1, jake.id()));
        postEvent(id, "ArticleUpdated", 2, article(id, v2, jake.id()));
        postEvent(id, "ArticleUpdated", 3, article(id, v3, jake.id()));
        awaitAfter(id);

        given().get("/articles/" + v3 + "/comments").then().statusCode(200);
        given().get("/articles/" + v1 + "/comments").then().statusCode(404);
        given().get("/articles/" + v2 + "/comments").then().statusCode(404);
        assertEquals(3, articles.findById(id).await().atMost(Duration.ofSeconds(5)).version);
        commentId(jake, v3, "on the newest slug");

        // a delete, then stale events arriving late: the article stays deleted
        postEvent(id, "ArticleDeleted", 4, Map.of("articleId", id, "slug", v3, "authorId", jake.id()));
        postEvent(id, "ArticleUpdated", 3, article(id, v3, jake.id()));
        postEvent(id, "ArticlePublished", 1, article(id, v1, jake.id()));
        awaitAfter(id);
        given().get("/articles/" + v3 + "/comments").then().statusCode(404);
        given().get("/articles/" + v1 + "/comments").then().statusCode(404);
        await().atMost(WAIT).until(() -> comments.listLive(id, 0, 1000).await().atMost(Duration.ofSeconds(5)).isEmpty());
    }

    @Test
    void eventsAreAppliedWithOrWithoutCloudEventsHeaders() {
        // post-service's records carry ce_ headers, older records and outside producers' may carry none;
        // the consumer reads the envelope either way
        User jake = user();
        String withHeaders = new ObjectId().toHexString();
        String withHeadersSlug = unique("cloud-event");
        Fixtures.cloudEvent(Topics.POSTS, withHeaders, withHeaders, "ArticlePublished", 1, article(withHeaders, withHeadersSlug, jake.id()));
        String without = new ObjectId().toHexString();
        String withoutSlug = unique("plain-event");
        postEvent(without, "ArticlePublished", 1, article(without, withoutSlug, jake.id()));
        awaitReachable(withHeadersSlug);
        awaitReachable(withoutSlug);

        String renamed = unique("cloud-event-renamed");
        Fixtures.cloudEvent(Topics.POSTS, withHeaders, withHeaders, "ArticleUpdated", 2, article(withHeaders, renamed, jake.id()));
        awaitReachable(renamed);
        given().get("/articles/" + withHeadersSlug + "/comments").then().statusCode(404);
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicAndTheConsumersGoOn() throws Exception {
        User jake = user();
        String id = new ObjectId().toHexString();
        String marker = unique("poison");
        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            ConsumerTask<String, String> dlq = kafka.consumeStrings().fromTopics(Topics.deadLetter("comment-service"),
                    m -> m.select().where(r -> r.value() != null && r.value().contains(marker)));
            Fixtures.raw(Topics.POSTS, id, "not json " + marker);
            Fixtures.raw(Topics.POSTS, id, "{\"type\":\"ArticlePublished\",\"note\":\"" + marker + "\"}");
            Map<String, Object> noSlug = article(id, null, jake.id());
            noSlug.put("note", marker);
            String noSlugId = postEvent(id, "ArticlePublished", 1, noSlug);
            // types this service does not use, and types it does not know, are skipped, not parked
            String favorited = postEvent(id, "ArticleFavorited", 2,
                    Map.of("articleId", id, "userId", jake.id(), "favoritesCount", 1, "note", marker));
            String unknown = postEvent(id, "ArticleArchived", 3, Map.of("articleId", id, "note", marker));
            Fixtures.raw(Topics.USERS, jake.id(), "[\"not an envelope\",\"" + marker + "\"]");
            // a CloudEvent whose attributes do not parse (a time that is none) around a valid envelope: with
            // CloudEvents parsing on for the incoming channel, SmallRye failed the whole channel on it
            Fixtures.raw(Topics.POSTS, id, Fixtures.JSON.writeValueAsString(Map.of("eventId", UUID.randomUUID().toString(),
                    "type", "ArticleFavorited", "schemaVersion", 1, "aggregateId", id, "aggregateVersion", 3,
                    "occurredAt", Instant.now().toString(), "data", Map.of("articleId", id, "note", marker))),
                    Map.of("ce_specversion", "1.0", "ce_id", "x", "ce_source", "/elsewhere", "ce_type", "t", "ce_time", "not a time"));

            String slug = unique("after-poison");
            postEvent(id, "ArticlePublished", 4, article(id, slug, jake.id()));
            awaitReachable(slug);
            Fixtures.userEvent(jake.id(), "UserRegistered", 1, CommentApiTest.profile(jake, "after poison", null));
            commentId(jake, slug, "hello");
            await("the user consumer goes on too").atMost(WAIT)
                    .until(() -> "after poison".equals(given().get("/articles/" + slug + "/comments")
                    .then().extract().path("comments[0].author.bio")));

            List<ConsumerRecord<String, String>> parked = List.copyOf(dlq.awaitRecords(4, WAIT).getRecords());
            assertEquals(4, parked.size(), "the four poison records are parked: " + parked);
            assertTrue(parked.stream().anyMatch(r -> r.value().contains(noSlugId)));
            await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> assertFalse(dlq.stream()
                    .anyMatch(r -> r.value().contains(favorited) || r.value().contains(unknown)),
                    "skipped types are not poison: " + dlq.getRecords()));
            assertTrue(dlq.stream().anyMatch(r -> Topics.POSTS.equals(header(r, "dead-letter-topic"))), "the DLQ says where from");
        }
    }

    /**
     * Waits until every event already sent for {@code articleId} has been consumed: a marker event
     * of another article under the same key shares their partition, so it is applied after them.
     */
    private static void awaitAfter(String articleId) {
        String markerId = new ObjectId().toHexString();
        String markerSlug = unique("marker");
        Fixtures.event(Topics.POSTS, articleId, markerId, "ArticlePublished", 1, article(markerId, markerSlug, markerId));
        awaitReachable(markerSlug);
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}

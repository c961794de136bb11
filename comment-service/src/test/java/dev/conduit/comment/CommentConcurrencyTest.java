package dev.conduit.comment;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.conduit.localstack.testing.Crowd;
import dev.conduit.localstack.testing.Crowd.Answer;
import dev.conduit.comment.Fixtures.User;
import dev.conduit.comment.repository.CommentRepository;
import dev.conduit.events.Topics;
import dev.conduit.localstack.testing.TestServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.conduit.comment.ArticleEventsTest.header;
import static dev.conduit.comment.Fixtures.WAIT;
import static dev.conduit.comment.Fixtures.awaitGone;
import static dev.conduit.comment.Fixtures.commentId;
import static dev.conduit.comment.Fixtures.postEvent;
import static dev.conduit.comment.Fixtures.publishedArticle;
import static dev.conduit.comment.Fixtures.unique;
import static dev.conduit.comment.Fixtures.user;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A crowd at one article: every write answers 2xx or a clean 4xx, never a 5xx, on the embedded
 * MongoDB imitation too, and what was acknowledged is stored exactly once with exactly one event.
 */
@QuarkusTest
@WithTestResource(CommentTestResource.class)
class CommentConcurrencyTest {

    private static final int POSTS = 300;
    private static final Duration DB = Duration.ofSeconds(10);

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Inject
    CommentRepository comments;

    @Test
    void threeHundredConcurrentCommentsOnOneArticleAreEachStoredOnceWithTheirOwnIdAndEvent() {
        User anna = user();
        List<User> writers = IntStream.range(0, 30).mapToObj(i -> user()).toList();
        String slug = unique("hot-article");
        String articleId = publishedArticle(slug, anna.id());

        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            ConsumerTask<String, String> additions = kafka.consumeStrings().fromTopics(Topics.COMMENTS, m -> m.select()
                    .where(r -> articleId.equals(r.key()) && "CommentAdded".equals(header(r, "conduit-event-type"))));
            List<Answer> answers = Crowd.run(POSTS, i -> post(writers.get(i % writers.size()), slug, "comment " + i));

            Map<Integer, Long> statuses = Crowd.statuses(answers);
            assertTrue(answers.stream().noneMatch(a -> a.status() >= 500),
                    "no 5xx under concurrent comments; statuses " + statuses + ", e.g. " + Crowd.samples(answers, s -> s >= 500));
            assertEquals(Map.of(200, (long) POSTS), statuses, "every comment accepted: " + Crowd.samples(answers, s -> s != 200));

            Map<Long, String> acknowledged = new HashMap<>();
            for (Answer answer : answers) {
                JsonPath body = JsonPath.from(answer.body());
                assertEquals("comment " + answer.index(), body.getString("comment.body"), "each answer is its own comment");
                assertEquals(null, acknowledged.put(body.getLong("comment.id"), body.getString("comment.body")),
                        "comment id " + body.getLong("comment.id") + " was handed out twice");
            }
            assertEquals(POSTS, acknowledged.size(), "distinct ids = number of 200s");

            // read in pages of the largest size a request may ask for (conduit.comment.max-limit, 200)
            List<Long> listedIds = new java.util.ArrayList<>();
            for (int offset = 0; offset < POSTS + 200; offset += 200) {
                JsonPath page = given().queryParam("limit", 200).queryParam("offset", offset)
                        .get("/articles/" + slug + "/comments").then().statusCode(200).extract().jsonPath();
                List<Long> ids = page.getList("comments.id", Long.class);
                for (int i = 0; i < ids.size(); i++) {
                    assertEquals(acknowledged.get(ids.get(i)), page.getString("comments[" + i + "].body"));
                }
                listedIds.addAll(ids);
            }
            assertEquals(POSTS, listedIds.size(), "every acknowledged comment is listed, once");
            assertEquals(acknowledged.keySet(), Set.copyOf(listedIds));
            assertEquals(listedIds.stream().sorted().toList(), listedIds, "oldest (lowest id) first");

            // one CommentAdded per comment, no more, no fewer: the relay delivers at least once (a
            // record may go out again when its removal from the outbox raced a sweep under load), so
            // a copy of the same event (same event id, which consumers skip) is allowed, a second event is not
            List<ConsumerRecord<String, String>> added = List.copyOf(additions.awaitRecords(POSTS, WAIT).getRecords());
            Map<Long, Set<String>> eventsPerComment = added.stream().collect(Collectors.groupingBy(
                    r -> JsonPath.from(r.value()).getLong("data.commentId"),
                    Collectors.mapping(r -> header(r, "conduit-event-id"), Collectors.toSet())));
            assertEquals(acknowledged.keySet(), eventsPerComment.keySet(), "every comment's event is out");
            assertTrue(eventsPerComment.values().stream().allMatch(ids -> ids.size() == 1), "one event per comment: " + eventsPerComment);
            await("the outbox is emptied").atMost(WAIT).until(() -> comments.list("articleId", articleId).await().atMost(DB).stream()
                    .allMatch(c -> c.pendingEvents.isEmpty()));
        }
    }

    /** The HTTP crowd above meets the imitation's race only now and then; the sequence alone, hammered, meets it every time. */
    @Test
    void theIdSequenceNeverHandsOutAValueTwice() {
        int draws = 3000;
        List<Long> ids = Multi.createFrom().range(0, draws)
                .onItem().transformToUni(i -> comments.nextId()).merge(64)
                .collect().asList().await().atMost(Duration.ofSeconds(120));
        assertEquals(draws, ids.size());
        assertEquals(draws, Set.copyOf(ids).size(), "distinct ids: " + (draws - Set.copyOf(ids).size()) + " handed out twice");
    }

    @Test
    void aSequenceBehindTheStoredCommentsStillGivesEachNewCommentAFreshId() {
        User jake = user();
        String slug = unique("restored");
        String articleId = publishedArticle(slug, jake.id());
        long first = commentId(jake, slug, "one");
        long second = commentId(jake, slug, "two");
        long third = commentId(jake, slug, "three");
        // as after restoring the comments from a newer backup than the counters: the next draws are taken
        comments.mongoDatabase().getCollection("counters")
                .updateOne(Filters.eq("_id", "comments"), Updates.set("seq", first - 1)).await().atMost(DB);

        long fourth = commentId(jake, slug, "four");

        assertTrue(fourth > third, "a fresh id past the taken ones: " + fourth);
        given().get("/articles/" + slug + "/comments").then().statusCode(200)
                .body("comments.id", contains((int) first, (int) second, (int) third, (int) fourth))
                .body("comments.body", contains("one", "two", "three", "four"));
        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            List<ConsumerRecord<String, String>> added = List.copyOf(kafka.consumeStrings()
                    .fromTopics(Topics.COMMENTS, m -> m.select()
                            .where(r -> articleId.equals(r.key()) && "CommentAdded".equals(header(r, "conduit-event-type"))))
                    .awaitRecords(4, WAIT).getRecords());
            assertEquals(List.of(first, second, third, fourth),
                    added.stream().map(r -> JsonPath.from(r.value()).getLong("data.commentId")).toList(),
                    "one event per comment, with its own id");
            assertEquals("four", JsonPath.from(added.get(3).value()).getString("data.body"));
        }
    }

    @Test
    void commentsRacingTheirArticlesDeletionAnswer200Or404AndNoneOutlivesTheArticle() {
        User jake = user();
        User anna = user();
        String slug = unique("doomed-hot-article");
        String articleId = publishedArticle(slug, jake.id());
        int crowd = 120;

        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            ConsumerTask<String, String> events = kafka.consumeStrings()
                    .fromTopics(Topics.COMMENTS, m -> m.select().where(r -> articleId.equals(r.key())));
            List<Answer> answers = Crowd.run(crowd, i -> {
                if (i == crowd / 3) {
                    postEvent(articleId, "ArticleDeleted", 2, Map.of("articleId", articleId, "slug", slug, "authorId", jake.id()));
                }
                return post(i % 2 == 0 ? jake : anna, slug, "racing " + i);
            });

            Map<Integer, Long> statuses = Crowd.statuses(answers);
            assertTrue(Set.of(200, 404).containsAll(statuses.keySet()),
                    "200 or 404 only: " + statuses + ", e.g. " + Crowd.samples(answers, s -> s != 200 && s != 404));
            Set<Long> acknowledged = answers.stream().filter(a -> a.status() == 200)
                    .map(a -> JsonPath.from(a.body()).getLong("comment.id")).collect(Collectors.toSet());

            awaitGone(slug);
            // tombstones go only once their CommentDeleted is out: nothing left means every event is out
            await("no comment outlives its article").atMost(WAIT)
                    .until(() -> comments.count("articleId", articleId).await().atMost(DB) == 0);
            await().atMost(WAIT).until(() -> events.stream()
                    .filter(r -> "CommentDeleted".equals(header(r, "conduit-event-type"))).count() >= acknowledged.size());
            await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> {
                Set<Long> added = ids(events.getRecords(), "CommentAdded");
                Set<Long> deleted = ids(events.getRecords(), "CommentDeleted");
                assertTrue(added.containsAll(acknowledged), "every acknowledged comment was published");
                assertEquals(added, deleted, "every published comment is published deleted too");
            });
        }
    }

    @Test
    void aCommentDeletedByManyRequestsAtOnceIsDeletedOnce() {
        User jake = user();
        String slug = unique("delete-race");
        publishedArticle(slug, jake.id());
        long id = commentId(jake, slug, "delete me, a lot");

        List<Answer> answers = Crowd.run(40, i -> Crowd.bounded().header("Authorization", jake.auth())
                .delete("/articles/" + slug + "/comments/" + id));

        assertEquals(Map.of(204, 1L, 404, 39L), Crowd.statuses(answers), () -> "e.g. " + Crowd.samples(answers, s -> s != 204));
        given().get("/articles/" + slug + "/comments").then().statusCode(200)
                .body("comments.size()", equalTo(0));
    }

    private static Response post(User user, String slug, String body) {
        return Crowd.bounded().header("Authorization", user.auth()).contentType(ContentType.JSON)
                .body(Map.of("comment", Map.of("body", body)))
                .post("/articles/" + slug + "/comments");
    }

    private static Set<Long> ids(List<ConsumerRecord<String, String>> events, String type) {
        Set<Long> ids = new HashSet<>();
        events.stream().filter(r -> type.equals(header(r, "conduit-event-type")))
                .forEach(r -> ids.add(JsonPath.from(r.value()).getLong("data.commentId")));
        return ids;
    }
}

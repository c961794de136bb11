package dev.conduit.comment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.comment.Fixtures.User;
import dev.conduit.localstack.testing.SseClient;
import dev.conduit.localstack.testing.SseClient.Event;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.conduit.comment.Fixtures.JSON;
import static dev.conduit.comment.Fixtures.WAIT;
import static dev.conduit.comment.Fixtures.commentId;
import static dev.conduit.comment.Fixtures.publishedArticle;
import static dev.conduit.comment.Fixtures.unique;
import static dev.conduit.comment.Fixtures.user;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /live/articles/{slug}/comments} against the real broker: order, resume with
 * {@code Last-Event-ID} without gaps or duplicates (also while comments keep coming), a subscriber
 * that stops reading is dropped without slowing another, and the refusals (404, 400, 401, 503).
 */
@QuarkusTest
@WithTestResource(CommentTestResource.class)
@TestProfile(LiveCommentsTest.SmallLimits.class)
class LiveCommentsTest {

    static final Duration EVENT_WAIT = Duration.ofSeconds(10);

    /** A small buffer and stream limit, so that falling behind and the limit are quick to reach. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conduit.live.buffer", "8", "conduit.live.max-streams", "5",
                    "conduit.live.keep-alive", "1s", "conduit.live.overflow-grace", "1s");
        }
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @TestHTTPResource("/")
    URL base;
    @Inject
    MeterRegistry registry;

    private SseClient stream(String slug, Map<String, String> headers) {
        return stream("/live/articles/" + slug + "/comments", headers, 0);
    }

    private SseClient stream(String path, Map<String, String> headers, int receiveBuffer) {
        SseClient client = SseClient.open(URI.create(base.toString()), path, headers, receiveBuffer);
        return client;
    }

    private static JsonNode data(Event event) {
        try {
            return JSON.readTree(event.data());
        } catch (Exception e) {
            throw new AssertionError("data is not JSON: " + event.data(), e);
        }
    }

    @Test
    void newCommentsArriveInOrderInTheShapeOfTheList() throws Exception {
        User anna = user();
        User jake = user();
        String slug = unique("live-order");
        publishedArticle(slug, anna.id());
        String other = unique("live-other");
        publishedArticle(other, anna.id());
        try (SseClient client = stream(slug, Map.of())) {
            assertEquals(200, client.status());
            assertTrue(client.header("Content-Type").startsWith("text/event-stream"), client.header("Content-Type"));
            assertEquals("no-cache", client.header("Cache-Control"));
            assertEquals("no", client.header("X-Accel-Buffering"));
            List<Long> posted = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                posted.add(commentId(i % 2 == 0 ? jake : anna, slug, "comment " + i));
                if (i == 5) {
                    commentId(jake, other, "elsewhere"); // another article's comment never shows here
                }
            }
            List<Event> events = client.take(12, EVENT_WAIT);
            List<Long> received = new ArrayList<>();
            long lastOffset = -1;
            for (int i = 0; i < events.size(); i++) {
                Event event = events.get(i);
                assertEquals("comment", event.type());
                JsonNode comment = data(event).get("comment");
                received.add(comment.get("id").asLong());
                assertEquals("comment " + i, comment.get("body").asText());
                assertEquals(i % 2 == 0 ? jake.username() : anna.username(), comment.at("/author/username").asText());
                assertFalse(comment.at("/author/following").asBoolean());
                assertTrue(comment.get("createdAt").asText().matches(CommentApiTest.MILLIS), comment.toString());
                assertTrue(event.id().matches("\\d+-\\d+"), event.id());
                long offset = Long.parseLong(event.id().substring(event.id().indexOf('-') + 1));
                assertTrue(offset > lastOffset, "cursors rise: " + events);
                lastOffset = offset;
            }
            assertEquals(posted, received);
            assertNull(client.next(Duration.ofMillis(500)), "nothing else");

            given().header("Authorization", jake.auth()).delete("/articles/" + slug + "/comments/" + posted.get(0))
                    .then().statusCode(204);
            Event deleted = client.take(1, EVENT_WAIT).get(0);
            assertEquals("comment-deleted", deleted.type());
            assertEquals(posted.get(0), data(deleted).get("id").asLong());
        }
    }

    @Test
    void theAuthorIsShownAsTheCallerSeesThem() {
        User jake = user();
        User anna = user();
        String slug = unique("live-following");
        publishedArticle(slug, anna.id());
        Fixtures.userEvent(jake.id(), "UserRegistered", 1, CommentApiTest.profile(jake, "I work at statefarm", null));
        Fixtures.userEvent(anna.id(), "UserRegistered", 1, CommentApiTest.profile(anna, null, null));
        Fixtures.userEvent(anna.id(), "UserFollowed", 2, Map.of("followerId", anna.id(), "followeeId", jake.id()));
        commentId(jake, slug, "first");
        await("the read model knows whom anna follows").atMost(WAIT).until(() -> Boolean.TRUE.equals(given()
                .header("Authorization", anna.auth()).get("/articles/" + slug + "/comments").then()
                .extract().path("comments[0].author.following")));
        try (SseClient asAnna = stream(slug, Map.of("Authorization", anna.auth()));
             SseClient anonymous = stream(slug, Map.of())) {
            commentId(jake, slug, "second");
            JsonNode seenByAnna = data(asAnna.take(1, EVENT_WAIT).get(0)).get("comment");
            JsonNode seenByNobody = data(anonymous.take(1, EVENT_WAIT).get(0)).get("comment");
            assertEquals("second", seenByAnna.get("body").asText());
            assertEquals("I work at statefarm", seenByAnna.at("/author/bio").asText());
            assertTrue(seenByAnna.at("/author/following").asBoolean());
            assertFalse(seenByNobody.at("/author/following").asBoolean());
        }
    }

    /**
     * Not a timed test: prints the delay from sending a comment to its event on the stream, through
     * the outbox relay, the broker and the live reader (no gateway), one paced comment at a time.
     */
    @Test
    void printsTheDelayFromAWriteToItsEvent() throws Exception {
        User anna = user();
        String slug = unique("live-delay");
        publishedArticle(slug, anna.id());
        int warmUp = 10;
        int samples = 50;
        List<Double> millis = new ArrayList<>();
        List<Double> answered = new ArrayList<>();
        try (SseClient client = stream(slug, Map.of())) {
            for (int i = 0; i < warmUp + samples; i++) {
                long start = System.nanoTime();
                long id = commentId(anna, slug, "delay " + i);
                if (i >= warmUp) {
                    answered.add((System.nanoTime() - start) / 1e6);
                }
                Event event = client.take(1, EVENT_WAIT).get(0);
                long arrived = System.nanoTime();
                assertEquals(id, data(event).at("/comment/id").asLong());
                if (i >= warmUp) {
                    millis.add((arrived - start) / 1e6);
                }
                Thread.sleep(50); // paced: one comment's delay is not queued behind another's
            }
        }
        Collections.sort(millis);
        Collections.sort(answered);
        System.out.printf(java.util.Locale.ROOT, "live comment delay (POST sent -> SSE event, no gateway, %d samples): p50 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms; the POST's own answer: p50 %.1f ms, p99 %.1f ms%n", samples,
                millis.get(samples / 2 - 1), millis.get((int) Math.ceil(0.99 * samples) - 1), millis.get(samples - 1),
                answered.get(samples / 2 - 1), answered.get((int) Math.ceil(0.99 * samples) - 1));
    }

    @Test
    void keepAliveCommentsFlowWhileNothingHappens() {
        User anna = user();
        String slug = unique("live-idle");
        publishedArticle(slug, anna.id());
        try (SseClient client = stream(slug, Map.of())) {
            assertNull(client.next(Duration.ofMillis(2500)));
            assertTrue(client.comments() >= 2, "keep-alive comments: " + client.comments());
        }
    }

    @Test
    void aReconnectWithLastEventIdGetsExactlyTheRest() {
        User anna = user();
        String slug = unique("live-resume");
        publishedArticle(slug, anna.id());
        List<Long> posted = new ArrayList<>();
        String lastId;
        try (SseClient client = stream(slug, Map.of())) {
            for (int i = 0; i < 5; i++) {
                posted.add(commentId(anna, slug, "first " + i));
            }
            List<Event> events = client.take(3, EVENT_WAIT);
            lastId = events.get(2).id();
        }
        for (int i = 0; i < 4; i++) {
            posted.add(commentId(anna, slug, "then " + i));
        }
        try (SseClient header = stream(slug, Map.of("Last-Event-ID", lastId));
             SseClient query = stream("/live/articles/" + slug + "/comments?lastEventId=" + lastId, Map.of(), 0)) {
            for (SseClient client : List.of(header, query)) {
                List<Long> ids = client.take(6, EVENT_WAIT).stream().map(e -> data(e).at("/comment/id").asLong()).toList();
                assertEquals(posted.subList(3, 9), ids);
                assertNull(client.next(Duration.ofMillis(300)), "no duplicate after the rest");
            }
            long more = commentId(anna, slug, "live again");
            assertEquals(more, data(header.take(1, EVENT_WAIT).get(0)).at("/comment/id").asLong());
            assertEquals(more, data(query.take(1, EVENT_WAIT).get(0)).at("/comment/id").asLong());
        }
    }

    @Test
    void resumingWhileCommentsKeepComingLosesAndRepeatsNothing() throws Exception {
        User anna = user();
        String slug = unique("live-race");
        publishedArticle(slug, anna.id());
        int total = 40;
        List<Long> posted = Collections.synchronizedList(new ArrayList<>());
        List<Long> received = new ArrayList<>();
        try (SseClient first = stream(slug, Map.of())) {
            assertEquals(200, first.status());
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < total; i++) {
                    posted.add(commentId(anna, slug, "race " + i));
                }
            });
            String lastId = null;
            SseClient current = first;
            try {
                // reconnect after every few events, while the writer goes on
                while (received.size() < total) {
                    List<Event> some;
                    try {
                        some = current.take(Math.min(4, total - received.size()), EVENT_WAIT);
                    } catch (AssertionError e) {
                        throw new AssertionError("after " + received.size() + " events, resumed from " + lastId
                                + ", posted " + posted.size() + ": " + e.getMessage(), e);
                    }
                    for (Event event : some) {
                        received.add(data(event).at("/comment/id").asLong());
                        lastId = event.id();
                    }
                    if (current != first) {
                        current.close();
                    }
                    current = stream(slug, Map.of("Last-Event-ID", lastId));
                    assertEquals(200, current.status());
                }
                assertNull(current.next(Duration.ofMillis(300)), "nothing after the last");
            } finally {
                current.close();
            }
            writer.get(60, TimeUnit.SECONDS);
        }
        assertEquals(posted, received);
    }

    @Test
    void aSubscriberThatStopsReadingIsDroppedAndNeverSlowsAnother() {
        User anna = user();
        String slug = unique("live-slow");
        publishedArticle(slug, anna.id());
        String body = "x".repeat(9_000);
        double overflowsBefore = overflows();
        List<Long> posted = new ArrayList<>();
        try (SseClient slow = stream("/live/articles/" + slug + "/comments", Map.of(), 4096);
             SseClient fast = stream(slug, Map.of())) {
            assertEquals(200, slow.status());
            // the slow one never reads; the fast one gets each comment at once, however far behind the slow one is
            for (int round = 0; round < 60 && overflows() == overflowsBefore; round++) {
                for (int i = 0; i < 10; i++) {
                    posted.add(commentId(anna, slug, body + round + "-" + i));
                }
                List<Long> got = fast.take(10, EVENT_WAIT).stream().map(e -> data(e).at("/comment/id").asLong()).toList();
                assertEquals(posted.subList(posted.size() - 10, posted.size()), got);
            }
            assertTrue(overflows() > overflowsBefore, "the slow subscriber overflowed after " + posted.size() + " comments");
            // what the slow one finally reads: a prefix in order, then the end (the overflow event if it got through)
            List<Event> late = slow.untilEnd(EVENT_WAIT);
            List<Long> prefix = late.stream().filter(e -> "comment".equals(e.type()))
                    .map(e -> data(e).at("/comment/id").asLong()).toList();
            assertEquals(posted.subList(0, prefix.size()), prefix);
            assertTrue(prefix.size() < posted.size(), "the slow subscriber did not get everything: " + prefix.size());
            late.stream().filter(e -> !"comment".equals(e.type())).forEach(e -> assertEquals("overflow", e.type()));
            // the fast one goes on
            long after = commentId(anna, slug, "after");
            assertEquals(after, data(fast.take(1, EVENT_WAIT).get(0)).at("/comment/id").asLong());
        }
    }

    private double overflows() {
        Counter counter = registry.find("conduit.live.overflows").tag("stream", "comments").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void refusalsAreInTheEnvelope() {
        User anna = user();
        String slug = unique("live-refusals");
        publishedArticle(slug, anna.id());
        try (SseClient unknown = stream(unique("no-such-article"), Map.of())) {
            assertEquals(404, unknown.status());
            assertEquals("{\"errors\":{\"body\":[\"article not found\"]}}", unknown.body());
        }
        for (String bad : List.of("garbage", "x-1", "1-y", "99-1", "-1", "0-999999999")) {
            try (SseClient client = stream(slug, Map.of("Last-Event-ID", bad))) {
                assertEquals(400, client.status(), bad);
                assertTrue(client.body().startsWith("{\"errors\":{\"body\":[\"Last-Event-ID is not a position of this stream"), bad);
            }
        }
        try (SseClient client = stream(slug, Map.of("Authorization", "Token garbage"))) {
            assertEquals(401, client.status());
            assertEquals("{\"errors\":{\"body\":[\"token is missing, invalid or expired\"]}}", client.body());
        }
        try (SseClient client = stream(slug, Map.of("Authorization", anna.auth()))) {
            assertEquals(200, client.status());
        }
    }

    @Test
    void streamsBeyondTheLimitAre503UntilOneCloses() {
        User anna = user();
        String slug = unique("live-limit");
        publishedArticle(slug, anna.id());
        List<SseClient> open = new ArrayList<>();
        try {
            await("earlier tests' streams are gone").atMost(WAIT).until(() -> {
                try (SseClient probe = stream(slug, Map.of())) {
                    return probe.status() == 200;
                }
            });
            for (int i = 0; i < 5; i++) {
                SseClient client = stream(slug, Map.of());
                open.add(client);
                assertEquals(200, client.status(), "stream " + i);
            }
            try (SseClient refused = stream(slug, Map.of())) {
                assertEquals(503, refused.status());
                assertEquals("5", refused.header("Retry-After"));
                assertEquals("{\"errors\":{\"body\":[\"too many live streams open on this instance, retry later\"]}}", refused.body());
            }
            open.remove(0).close();
            await("a closed stream frees its slot").atMost(WAIT).until(() -> {
                SseClient again = stream(slug, Map.of());
                if (again.status() == 200) {
                    open.add(again);
                    return true;
                }
                again.close();
                return false;
            });
        } finally {
            open.forEach(SseClient::close);
        }
    }
}

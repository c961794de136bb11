package dev.conduit.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.SseClient;
import dev.conduit.localstack.testing.TestTokens;
import dev.conduit.localstack.testing.SseClient.Event;
import dev.conduit.post.Authors.Author;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /live/feed} against the real broker: only articles of the authors the caller follows,
 * as the feed shows them; follows and unfollows during the stream count for later articles; resume
 * with {@code Last-Event-ID}; 401 without a valid token.
 */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class LiveFeedTest {

    static final Duration EVENT_WAIT = Duration.ofSeconds(10);
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @TestHTTPResource("/")
    URL base;

    private SseClient feed(Author reader, Map<String, String> more) {
        Map<String, String> headers = new java.util.HashMap<>(more);
        if (reader != null) {
            headers.put("Authorization", reader.auth());
        }
        return SseClient.open(URI.create(base.toString()), "/live/feed", headers);
    }

    private static JsonNode article(Event event) {
        assertEquals("article", event.type(), event.toString());
        try {
            return JSON.readTree(event.data()).get("article");
        } catch (Exception e) {
            throw new AssertionError(event.data(), e);
        }
    }

    /** Waits until post-service's read model says whether {@code reader} follows the author of {@code slug}. */
    private static void awaitFollowing(Author reader, String slug, boolean following) {
        await("following is " + following).atMost(WAIT).until(() -> given().header("Authorization", reader.auth())
                .get("/articles/" + slug).then().extract().jsonPath().getBoolean("article.author.following") == following);
    }

    @Test
    void onlyArticlesOfFollowedAuthorsAndFollowChangesCountForLaterOnes() {
        Author anna = Authors.registered();
        Author bob = Authors.registered();
        Author carl = Authors.registered();
        String bobsFirst = Authors.publish(bob, "Bob before " + bob.username(), List.of());
        String carlsFirst = Authors.publish(carl, "Carl before " + carl.username(), List.of());
        Authors.follow(anna, bob, 2);
        awaitFollowing(anna, bobsFirst, true);

        try (SseClient stream = feed(anna, Map.of())) {
            assertEquals(200, stream.status());
            assertEquals("no-cache", stream.header("Cache-Control"));
            Authors.publish(carl, "Carl unseen " + carl.username(), List.of("x"));
            String bobs = Authors.publish(bob, "Bob seen " + bob.username(), List.of("b", "a"));
            JsonNode item = article(stream.take(1, EVENT_WAIT).get(0));
            assertEquals(bobs, item.get("slug").asText());
            assertEquals(bob.username(), item.at("/author/username").asText());
            assertTrue(item.at("/author/following").asBoolean());
            assertFalse(item.has("body"), "a feed item has no body: " + item);
            assertEquals("[\"a\",\"b\"]", item.get("tagList").toString());
            assertFalse(item.get("favorited").asBoolean());
            assertEquals(0, item.get("favoritesCount").asInt());
            assertNull(stream.next(Duration.ofMillis(500)), "carl's article is not in anna's feed");

            Authors.follow(anna, carl, 3);
            awaitFollowing(anna, carlsFirst, true);
            String carls = Authors.publish(carl, "Carl now " + carl.username(), List.of());
            assertEquals(carls, article(stream.take(1, EVENT_WAIT).get(0)).get("slug").asText());

            Authors.unfollow(anna, bob, 4);
            awaitFollowing(anna, bobsFirst, false);
            Authors.publish(bob, "Bob unseen " + bob.username(), List.of());
            String carlsLast = Authors.publish(carl, "Carl last " + carl.username(), List.of());
            assertEquals(carlsLast, article(stream.take(1, EVENT_WAIT).get(0)).get("slug").asText(),
                    "bob's article after the unfollow is not shown");
            assertNull(stream.next(Duration.ofMillis(500)));
        }
    }

    @Test
    void aReconnectWithLastEventIdGetsExactlyTheArticlesPublishedMeanwhile() {
        Author reader = Authors.registered();
        Author writer = Authors.registered();
        String first = Authors.publish(writer, "Before " + writer.username(), List.of());
        Authors.follow(reader, writer, 2);
        awaitFollowing(reader, first, true);
        String lastId;
        try (SseClient stream = feed(reader, Map.of())) {
            Authors.publish(writer, "One " + writer.username(), List.of());
            Event one = stream.take(1, EVENT_WAIT).get(0);
            lastId = one.id();
            assertTrue(lastId.matches("[0-9a-z]+(\\.[0-9a-z]+)*"), lastId);
        }
        String two = Authors.publish(writer, "Two " + writer.username(), List.of());
        String three = Authors.publish(writer, "Three " + writer.username(), List.of());
        try (SseClient stream = feed(reader, Map.of("Last-Event-ID", lastId))) {
            assertEquals(200, stream.status());
            List<Event> rest = stream.take(2, EVENT_WAIT);
            assertEquals(List.of(two, three), rest.stream().map(e -> article(e).get("slug").asText()).toList());
            assertNull(stream.next(Duration.ofMillis(500)), "nothing twice");
        }
        try (SseClient stream = feed(reader, Map.of("Last-Event-ID", "not a cursor!"))) {
            assertEquals(400, stream.status());
        }
    }

    @Test
    void aRevokedTokenIsRefusedAsOnEveryOtherRoute() {
        Author jake = Authors.registered();
        String old = "Token " + TestTokens.sign(jake.id(), jake.username(), Instant.now().minusSeconds(5));
        Authors.userEvent(jake.id(), 2, "UserCredentialsChanged",
                "{\"userId\":\"" + jake.id() + "\",\"tokensValidAfter\":\"" + Instant.now().plusSeconds(1) + "\"}");
        await("the cut-off reached post-service").atMost(WAIT)
                .until(() -> given().header("Authorization", old).get("/articles/feed").statusCode() == 401);
        try (SseClient stream = feed(null, Map.of("Authorization", old))) {
            assertEquals(401, stream.status());
            assertEquals("{\"errors\":{\"body\":[\"token is missing, invalid or expired\"]}}", stream.body());
        }
    }

    @Test
    void aTokenIsRequired() {
        try (SseClient stream = feed(null, Map.of())) {
            assertEquals(401, stream.status());
            assertEquals("{\"errors\":{\"body\":[\"token is missing, invalid or expired\"]}}", stream.body());
        }
        try (SseClient stream = feed(null, Map.of("Authorization", "Token not.a.jwt"))) {
            assertEquals(401, stream.status());
            assertEquals("{\"errors\":{\"body\":[\"token is missing, invalid or expired\"]}}", stream.body());
        }
    }
}

package dev.conduit.trending;

import dev.conduit.events.Topics;
import dev.conduit.localstack.testing.TestServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The public routes against the real broker: events in, ranking out, hydrated by (a stub of) post-service. */
@QuarkusTest
@WithTestResource(TrendingTestResource.class)
class TrendingApiTest {

    private static final Duration STREAMS = Duration.ofSeconds(60);
    private static final AtomicLong COMMENT_IDS = new AtomicLong(System.nanoTime());
    private static Events events;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @BeforeAll
    static void producer() {
        events = new Events(TestServers.kafkaBootstrap(), Topics.POSTS, Topics.COMMENTS);
    }

    @AfterAll
    static void close() {
        if (events != null) {
            events.close();
        }
    }

    @Test
    void articlesRankByScoreAndAreHydratedForTheCaller() {
        String a = Events.newId();
        String b = Events.newId();
        Instant now = Instant.now();
        events.publish(a, 1, now, List.of());
        events.publish(b, 1, now, List.of());
        events.favorite(b, 2, now);
        events.comment(a, COMMENT_IDS.incrementAndGet(), 1, true, now);
        events.favorite(b, 3, now);

        // b: 1 + 3 + 3 = 7, a: 1 + 2 = 3
        await().atMost(STREAMS).untilAsserted(() -> assertEquals(List.of(b, a), ours(ranked(null), Set.of(a, b))));
        given().header("Authorization", "Token abc").queryParam("limit", 100).get("/api/trending/articles").then()
                .statusCode(200)
                .body("articles.favorited", everyItem(equalTo(true)))
                .body("articles.author.bio", everyItem(equalTo("Token abc")))
                .body("articlesCount", notNullValue());
        given().get("/api/trending/articles").then().statusCode(200).body("articles.favorited", everyItem(equalTo(false)));
    }

    @Test
    void limitAndOffsetPage() {
        String a = Events.newId();
        Instant now = Instant.now();
        events.publish(a, 1, now, List.of());
        await().atMost(STREAMS).until(() -> ranked(null).contains(a));
        int total = given().get("/api/trending/articles?limit=100").then().statusCode(200).extract().path("articlesCount");
        List<String> all = given().get("/api/trending/articles?limit=100").then().extract().path("articles.slug");
        given().get("/api/trending/articles?limit=1&offset=" + (all.size() - 1)).then().statusCode(200)
                .body("articles.slug", equalTo(List.of(all.get(all.size() - 1))))
                .body("articlesCount", equalTo(total));
        given().get("/api/trending/articles?limit=0").then().statusCode(200)
                .body("articles.size()", equalTo(0)).body("articlesCount", equalTo(total));
    }

    @Test
    void tagsRankByTheirArticlesAndFollowAnUpdate() {
        String a = Events.newId();
        String b = Events.newId();
        String one = "one-" + a.substring(0, 8);
        String two = "two-" + a.substring(0, 8);
        String three = "three-" + a.substring(0, 8);
        Instant now = Instant.now();
        events.publish(a, 1, now, List.of(one, two));
        events.favorite(a, 2, now);
        events.publish(b, 1, now, List.of(two));
        await().atMost(STREAMS).untilAsserted(() -> assertEquals(List.of(two, one), ours(tags(), Set.of(one, two, three))));

        events.post(a, Events.envelope(java.util.UUID.randomUUID(), "ArticleUpdated", a, 3, now,
                "{\"articleId\":\"" + a + "\",\"slug\":\"s\",\"title\":\"t\",\"description\":\"d\",\"tagList\":[\"" + three
                        + "\"],\"authorId\":\"author\"}"));
        // a (4) now counts for three only; two keeps b (1)
        await().atMost(STREAMS).untilAsserted(() -> assertEquals(List.of(three, two), ours(tags(), Set.of(one, two, three))));
    }

    @Test
    void theInternalRouteAnswersTheScoresOfGivenKeysWhateverTheirRank() {
        String a = Events.newId();
        String low = "low-" + a.substring(0, 8);
        String high = "high-" + a.substring(0, 8);
        Instant now = Instant.now();
        events.publish(a, 1, now, List.of(low, high));
        events.favorite(a, 2, now);
        String b = Events.newId();
        events.publish(b, 1, now, List.of(high));
        // low: a's publication and favorite; high: those and b's publication
        await().atMost(STREAMS).untilAsserted(() -> given().queryParam("key", low, high, "absent-" + a)
                .get("/internal/trending/tags").then().statusCode(200)
                .body("size()", equalTo(2))
                .body("find { it.key == '" + low + "' }.score", equalTo(4.0f))
                .body("find { it.key == '" + high + "' }.score", equalTo(5.0f)));
        given().queryParam("key", java.util.stream.IntStream.range(0, 101).mapToObj(i -> "k" + i).toList())
                .get("/internal/trending/tags").then().statusCode(422)
                .body("errors.body[0]", containsString("key"));
    }

    @Test
    void aDeletedArticleLeavesTheRanking() {
        String a = Events.newId();
        Instant now = Instant.now();
        events.publish(a, 1, now, List.of());
        await().atMost(STREAMS).until(() -> ranked(null).contains(a));
        events.post(a, Events.envelope(java.util.UUID.randomUUID(), "ArticleDeleted", a, 2, now,
                "{\"articleId\":\"" + a + "\",\"slug\":\"s\",\"authorId\":\"author\"}"));
        await().atMost(STREAMS).until(() -> !ranked(null).contains(a));
    }

    @Test
    void badParametersAre422InTheEnvelope() {
        for (String query : List.of("limit=-1", "limit=101", "limit=abc", "offset=-1", "offset=x", "offset=90&limit=20",
                "offset=101&limit=0")) {
            given().get("/api/trending/articles?" + query).then().statusCode(422)
                    .body("errors.body", hasItem(notNullValue()));
        }
        for (String query : List.of("limit=0", "limit=101", "limit=1.5")) {
            given().get("/api/trending/tags?" + query).then().statusCode(422).body("errors.body[0]", containsString("limit"));
        }
        given().get("/api/trending/articles?offset=80&limit=20").then().statusCode(200);
        given().get("/api/trending/tags?limit=100").then().statusCode(200);
    }

    @Test
    void postServiceDownIs503NeverA500() {
        String a = Events.newId();
        events.publish(a, 1, Instant.now(), List.of());
        await().atMost(STREAMS).until(() -> ranked(null).contains(a));
        System.setProperty(PostServiceStub.DOWN, "true");
        try {
            given().get("/api/trending/articles").then().statusCode(503)
                    .header("Retry-After", notNullValue())
                    .body("errors.body[0]", containsString("post-service"));
        } finally {
            System.clearProperty(PostServiceStub.DOWN);
        }
    }

    @Test
    void readyOnceStreamsRunsAndCountsWhatItApplies() {
        await().atMost(STREAMS).untilAsserted(() -> given().baseUri(TestServers.managementRoot(management)).get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'kafka-streams' }.data.state", equalTo("RUNNING")));
        String a = Events.newId();
        events.publish(a, 1, Instant.now(), List.of());
        events.publish(a, 1, Instant.now(), List.of());
        await().atMost(STREAMS).untilAsserted(() -> given().baseUri(TestServers.managementRoot(management)).get("/q/metrics").then().statusCode(200)
                .body(containsString("conduit_trending_events_applied_total{type=\"ArticlePublished\""))
                .body(containsString("conduit_trending_events_ignored_total{reason=\"duplicate\""))
                .body(containsString("kafka_stream_")));
    }

    private static List<String> ranked(String authorization) {
        Response response = authorization == null ? given().get("/api/trending/articles?limit=100")
                : given().header("Authorization", authorization).get("/api/trending/articles?limit=100");
        if (response.statusCode() != 200) {
            return List.of();
        }
        return response.path("articles.slug");
    }

    private static List<String> tags() {
        Response response = given().get("/api/trending/tags?limit=100");
        return response.statusCode() == 200 ? response.path("tags") : List.of();
    }

    /** The test's own entries, in the ranking's order (other tests' events trend too). */
    private static List<String> ours(List<String> ranking, Set<String> mine) {
        return ranking.stream().filter(mine::contains).toList();
    }
}

package dev.conduit.trending;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Two instances in one group: the service finds the other in Kafka Streams' metadata, merges its
 * part of the ranking, and marks the answer partial when it does not answer.
 */
@QuarkusTest
@WithTestResource(ScatterTestResource.class)
class TrendingScatterTest {

    private static final Duration STREAMS = Duration.ofSeconds(90);

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void theOtherInstancesPartIsMergedOrTheAnswerIsMarkedPartial() {
        await().atMost(STREAMS).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Response tags = given().get("/api/trending/tags?limit=5");
            assertEquals(200, tags.statusCode());
            assertEquals(ScatterTestResource.PEER_TAG, tags.<List<String>>path("tags").get(0));
            assertNull(tags.header("X-Conduit-Partial"));
        });
        Response articles = given().get("/api/trending/articles?limit=5");
        assertEquals(200, articles.statusCode());
        assertEquals(ScatterTestResource.PEER_ARTICLE, articles.<List<String>>path("articles.slug").get(0));

        System.setProperty(ScatterTestResource.DOWN, "true");
        try {
            Response partial = given().get("/api/trending/tags?limit=5");
            assertEquals(200, partial.statusCode());
            assertEquals("true", partial.header("X-Conduit-Partial"));
            assertFalse(partial.<List<String>>path("tags").contains(ScatterTestResource.PEER_TAG));
        } finally {
            System.clearProperty(ScatterTestResource.DOWN);
        }
    }
}

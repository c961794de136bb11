package dev.conduit.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.conduit.gateway.proxy.CircuitBreaker;
import dev.conduit.gateway.proxy.Downstreams;
import dev.conduit.gateway.proxy.Service;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Per-service timeouts, breakers and retries, with the test profile's settings: request timeout
 * 1 s, breaker over the last 6 calls (at least 4, half failed) open for 500 ms, 2 retries of reads.
 */
@QuarkusTest
@WithTestResource(StubServices.class)
class ResilienceTest extends GatewayTestSupport {

    @Inject
    Downstreams downstreams;

    @Test
    void aServiceThatIsDownGivesAFast503AndTheOthersKeepWorking() {
        StubServices.kill(StubServices.POST);
        given().when().get("/api/articles")
                .then().statusCode(503)
                .time(lessThan(2_000L))
                .contentType(ContentType.JSON)
                .body("errors.body[0]", equalTo("post-service is unavailable"));
        given().when().get("/api/profiles/jake")
                .then().statusCode(200).body("service", equalTo("user-service"));
        given().when().get("/api/articles/a/comments")
                .then().statusCode(200).body("service", equalTo("comment-service"));
    }

    @Test
    void aServiceRestartedAfterBeingDownIsUsedAgain() {
        StubServices.kill(StubServices.COMMENT);
        given().when().get("/api/articles/a/comments").then().statusCode(503);
        StubServices.reset();
        await().atMost(Duration.ofSeconds(5)).until(() -> given().get("/api/articles/a/comments").statusCode() == 200);
    }

    @Test
    void aSlowServiceGives504WithinTheRequestTimeoutAndTheOthersKeepWorking() {
        StubServices.hang(StubServices.USER);
        given().when().get("/api/profiles/jake")
                .then().statusCode(504)
                .time(lessThan(3_000L))
                .body("errors.body[0]", equalTo("user-service did not answer in time"));
        // a read that timed out is not retried: one slow call, not three
        assertEquals(1, StubServices.receivedCount(StubServices.USER));
        given().when().get("/api/tags").then().statusCode(200).body("service", equalTo("post-service"));
    }

    @Test
    void aReadIsRetriedAfterADroppedConnection() {
        StubServices.dropNext(StubServices.POST, 2);
        given().when().get("/api/articles/a")
                .then().statusCode(200).body("uri", equalTo("/articles/a"));
        assertEquals(3, StubServices.receivedCount(StubServices.POST));
    }

    @Test
    void aReadGivesUpAfterTheConfiguredRetries() {
        StubServices.dropNext(StubServices.POST, 3);
        given().when().get("/api/articles/a")
                .then().statusCode(502)
                .body("errors.body[0]", equalTo("post-service closed the connection without an answer"));
        assertEquals(3, StubServices.receivedCount(StubServices.POST));
    }

    @Test
    void aWriteIsNeverRetried() {
        StubServices.dropNext(StubServices.POST, 1);
        given().header("Authorization", "Token " + Tokens.valid("jake"))
                .contentType(ContentType.JSON).body("{\"article\":{}}")
                .when().post("/api/articles")
                .then().statusCode(502)
                .body("errors.body[0]", equalTo("post-service closed the connection without an answer"));
        assertEquals(1, StubServices.receivedCount(StubServices.POST));
        // a body-less write is not retried either
        StubServices.reset();
        StubServices.dropNext(StubServices.POST, 1);
        given().header("Authorization", "Token " + Tokens.valid("jake"))
                .when().delete("/api/articles/a")
                .then().statusCode(502);
        assertEquals(1, StubServices.receivedCount(StubServices.POST));
    }

    @Test
    void theBreakerOpensOnFailuresStopsCallingTheServiceAndRecovers() {
        String unavailable = "{\"errors\":{\"body\":[\"database down\"]}}";
        StubServices.Reply down = new StubServices.Reply(503, Map.of("Content-Type", "application/json"), unavailable);
        StubServices.script(StubServices.COMMENT, down, down, down);
        // a window of 6 successes: 3 failures make half; the service's own 503s pass through
        // unchanged while they count against its breaker
        for (int i = 0; i < 3; i++) {
            given().when().get("/api/articles/a/comments")
                    .then().statusCode(503).body(equalTo(unavailable));
        }
        assertEquals(CircuitBreaker.State.OPEN, downstreams.get(Service.COMMENT).breaker().state());
        given().when().get("/api/articles/a/comments")
                .then().statusCode(503)
                .header("Retry-After", "1")
                .body("errors.body[0]", equalTo("comment-service is unavailable"));
        assertEquals(3, StubServices.receivedCount(StubServices.COMMENT), "an open breaker calls no one");
        Management.given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("conduit_gateway_breaker_open{service=\"comment-service\"} 1.0"))
                .body(containsString("conduit_gateway_breaker_open{service=\"post-service\"} 0.0"));
        // other services have their own breakers
        given().when().get("/api/tags").then().statusCode(200);
        // after the open delay a trial call goes through, succeeds and closes the breaker
        await().atMost(Duration.ofSeconds(5)).until(() -> given().get("/api/articles/a/comments").statusCode() == 200);
        assertEquals(CircuitBreaker.State.CLOSED, downstreams.get(Service.COMMENT).breaker().state());
    }
}

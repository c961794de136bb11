package dev.conduit.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** trending-service's two routes: forwarded like the others, and its outage touches nothing else. */
@QuarkusTest
@WithTestResource(StubServices.class)
class TrendingRoutingTest extends GatewayTestSupport {

    @Test
    void trendingArticlesReachTrendingServiceWithTheTokenAndTheQuery() {
        String token = Tokens.valid("jake");
        given().urlEncodingEnabled(false).header("Authorization", "Token " + token)
                .when().get("/api/trending/articles?limit=5&offset=10")
                .then().statusCode(200)
                .body("service", equalTo("trending-service"))
                // trending-service serves the public path itself: the prefix stays
                .body("uri", equalTo("/api/trending/articles?limit=5&offset=10"));
        StubServices.Received received = StubServices.single(StubServices.TRENDING);
        // forwarded so that favorited and following are the caller's
        assertEquals("Token " + token, received.header("Authorization"));
        assertEquals(0, StubServices.receivedCount(StubServices.POST));
    }

    @Test
    void trendingTagsNeedNoToken() {
        given().when().get("/api/trending/tags?limit=3")
                .then().statusCode(200)
                .body("uri", equalTo("/api/trending/tags?limit=3"));
        assertNull(StubServices.single(StubServices.TRENDING).header("Authorization"));
    }

    @Test
    void aBadTokenOnTrendingIsRefusedAtTheEdge() {
        given().header("Authorization", "Token garbage").when().get("/api/trending/articles")
                .then().statusCode(401)
                .body("errors.body[0]", equalTo("token is missing, invalid or expired"));
        assertEquals(0, StubServices.receivedCount(StubServices.TRENDING));
    }

    @Test
    void theServicesOwnAnswersPassUnchanged() {
        String notReady = "{\"errors\":{\"body\":[\"trending stores are not ready yet\"]}}";
        String badLimit = "{\"errors\":{\"body\":[\"limit must be between 0 and 100\"]}}";
        StubServices.script(StubServices.TRENDING,
                new StubServices.Reply(503, Map.of("Content-Type", "application/json", "Retry-After", "2"), notReady),
                new StubServices.Reply(422, Map.of("Content-Type", "application/json"), badLimit));
        given().when().get("/api/trending/articles")
                .then().statusCode(503).header("Retry-After", "2")
                .body("errors.body[0]", equalTo("trending stores are not ready yet"));
        given().when().get("/api/trending/tags?limit=1000")
                .then().statusCode(422)
                .body("errors.body[0]", equalTo("limit must be between 0 and 100"));
    }

    @Test
    void trendingServiceDownIsA503ForItsRoutesOnlyAndTheGatewayStaysReady() {
        StubServices.kill(StubServices.TRENDING);
        for (String path : new String[] {"/api/trending/articles", "/api/trending/tags"}) {
            given().when().get(path)
                    .then().statusCode(503)
                    .time(lessThan(2_000L))
                    .contentType(ContentType.JSON)
                    .body("errors.body[0]", equalTo("trending-service is unavailable"));
        }
        given().when().get("/api/tags").then().statusCode(200).body("service", equalTo("post-service"));
        given().when().get("/api/articles").then().statusCode(200).body("service", equalTo("post-service"));
        given().when().get("/api/profiles/jake").then().statusCode(200).body("service", equalTo("user-service"));
        Management.given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}

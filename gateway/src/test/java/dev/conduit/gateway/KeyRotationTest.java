package dev.conduit.gateway;

import dev.conduit.gateway.http.ErrorResponses;
import dev.conduit.localstack.testing.TestKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge follows user-service's JWK set without a restart: a token of a key user-service has just
 * started to publish passes at its first request (the gateway fetches the set and waits, the body
 * held meanwhile), a key taken out of the set stops passing once the cached set expires, a kid
 * nobody published never passes, and while the set cannot be fetched the keys held keep working.
 */
@QuarkusTest
@WithTestResource(StubServices.class)
class KeyRotationTest extends GatewayTestSupport {

    @Test
    void aNewKeyPassesAtOnceAndARemovedOneStopsPassing() {
        // user-service lets verifiers keep its key set for a second (60 s in production)
        StubServices.JWKS_MAX_AGE.set(1);
        TestKeys.Extra next = TestKeys.add(StubServices.keys.dir());
        try {
            String signedByNext = "Token " + Tokens.signed("jake", next.privateKey(), next.kid());
            String article = "{\"article\":{\"title\":\"signed by the next key\"}}";
            int fetches = StubServices.JWKS_FETCHES.get();
            given().header("Authorization", signedByNext).contentType(ContentType.JSON).body(article).post("/api/articles")
                    .then().statusCode(200).body("bodyLength", equalTo(article.length()));
            assertTrue(StubServices.JWKS_FETCHES.get() > fetches, "the unknown kid made the gateway fetch the key set");
            assertEquals(signedByNext, StubServices.single(StubServices.POST).header("Authorization"));
            given().header("Authorization", "Token " + Tokens.valid("jake")).get("/api/user").then().statusCode(200);

            next.remove();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> given().header("Authorization", signedByNext).get("/api/user").statusCode() == 401);
            given().header("Authorization", signedByNext).get("/api/user").then().statusCode(401)
                    .body("errors.body[0]", equalTo(ErrorResponses.UNAUTHORIZED));
            given().header("Authorization", "Token " + Tokens.valid("jake")).get("/api/user").then().statusCode(200);
        } finally {
            next.remove();
        }
    }

    @Test
    void aKidNobodyPublishedNeverPasses() throws Exception {
        TestKeys.Extra stranger = TestKeys.add(StubServices.keys.dir());
        stranger.remove();
        for (String kid : new String[] {UUID.randomUUID().toString(), Tokens.testKid(), stranger.kid(), null}) {
            given().header("Authorization", "Token " + Tokens.signed("jake", stranger.privateKey(), kid)).get("/api/user")
                    .then().statusCode(401).body("errors.body[0]", equalTo(ErrorResponses.UNAUTHORIZED));
        }
        assertEquals(0, StubServices.receivedCount(StubServices.USER));
    }

    @Test
    void whileTheKeySetCannotBeFetchedTheKeysHeldKeepWorking() {
        String token = "Token " + Tokens.valid("jake");
        given().header("Authorization", token).get("/api/user").then().statusCode(200);
        StubServices.JWKS_MAX_AGE.set(1);
        // one more fetch, so that the held set expires within a second
        TestKeys.Extra next = TestKeys.add(StubServices.keys.dir());
        try {
            given().header("Authorization", "Token " + Tokens.signed("jake", next.privateKey(), next.kid())).get("/api/user")
                    .then().statusCode(200);
        } finally {
            next.remove();
        }
        StubServices.jwksServed = false;
        int fetches = StubServices.JWKS_FETCHES.get();
        // the held set expired and a fetch failed: the keys are still used
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> given().header("Authorization", token).get("/api/user").statusCode() == 200
                        && StubServices.JWKS_FETCHES.get() > fetches);
        given().header("Authorization", token).get("/api/user").then().statusCode(200);
    }
}

package dev.conduit.gateway;

import dev.conduit.gateway.http.ErrorResponses;
import dev.conduit.localstack.testing.TestKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: the edge verifies a token's signature once, not on every request ({@link CountingJwtParser}
 * counts what EdgeAuthenticator asks the parser to verify); a tampered token is verified and refused
 * even while the genuine one is kept; a change of user-service's key set makes every kept token be
 * verified again.
 */
@QuarkusTest
@WithTestResource(StubServices.class)
class VerifiedTokenCacheTest extends GatewayTestSupport {

    /**
     * The key set held is fresh (60 s) and settled before counting: a test before this one may have
     * left a set about to expire or being fetched, and a changed set empties the cache. A token of
     * a kid nobody published makes the gateway fetch the set and wait for it.
     */
    @BeforeEach
    void keySetSettled() {
        String unknownKid = "Token " + Tokens.signed(user(), Tokens.testKey(), "settle-" + UUID.randomUUID());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).until(() -> {
            int fetches = StubServices.JWKS_FETCHES.get();
            given().header("Authorization", unknownKid).get("/api/user").then().statusCode(401);
            return StubServices.JWKS_FETCHES.get() > fetches;
        });
    }

    private static String user() {
        return "u" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aTokenIsVerifiedOnceForManyRequestsAndAnotherTokenAgain() {
        String token = Tokens.valid(user());
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", "Token " + token).get("/api/user").then().statusCode(200);
        }
        given().header("Authorization", "Bearer " + token).get("/api/articles/a/comments").then().statusCode(200);
        assertEquals(1, CountingJwtParser.verifications(token), "one verification for six requests");
        assertEquals(6, StubServices.receivedCount(StubServices.USER) + StubServices.receivedCount(StubServices.COMMENT));

        String other = Tokens.valid(user());
        given().header("Authorization", "Token " + other).get("/api/user").then().statusCode(200);
        given().header("Authorization", "Token " + other).get("/api/user").then().statusCode(200);
        assertEquals(1, CountingJwtParser.verifications(other));
        assertEquals(1, CountingJwtParser.verifications(token));
    }

    @Test
    void aTamperedTokenIsRefusedWhileTheGenuineOneIsKept() {
        String jake = user();
        String token = Tokens.valid(jake);
        given().header("Authorization", "Token " + token).get("/api/user").then().statusCode(200);

        String[] parts = token.split("\\.");
        String otherClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace(jake, "anna")
                        .getBytes(StandardCharsets.UTF_8));
        char last = parts[2].charAt(parts[2].length() - 2);
        String badSignature = parts[2].substring(0, parts[2].length() - 2) + (last == 'A' ? 'B' : 'A') + parts[2].charAt(parts[2].length() - 1);
        for (String tampered : new String[] {parts[0] + "." + otherClaims + "." + parts[2], parts[0] + "." + parts[1] + "." + badSignature,
                token + "x"}) {
            for (int i = 0; i < 2; i++) {
                given().header("Authorization", "Token " + tampered).get("/api/user").then().statusCode(401)
                        .body("errors.body[0]", equalTo(ErrorResponses.UNAUTHORIZED));
            }
            assertEquals(2, CountingJwtParser.verifications(tampered), "a refused token is never kept: verified every time");
        }
        assertEquals(1, StubServices.receivedCount(StubServices.USER), "only the genuine token reached user-service");
        given().header("Authorization", "Token " + token).get("/api/user").then().statusCode(200);
        assertEquals(1, CountingJwtParser.verifications(token));
    }

    @Test
    void aChangeOfTheKeySetMakesKeptTokensBeVerifiedAgain() {
        String token = Tokens.valid(user());
        given().header("Authorization", "Token " + token).get("/api/user").then().statusCode(200);
        given().header("Authorization", "Token " + token).get("/api/user").then().statusCode(200);
        assertEquals(1, CountingJwtParser.verifications(token));

        // a token of a key user-service has just started to publish: the gateway fetches the set, which changed
        TestKeys.Extra next = TestKeys.add(StubServices.keys.dir());
        try {
            int fetches = StubServices.JWKS_FETCHES.get();
            String fresh = Tokens.signed(user(), next.privateKey(), next.kid());
            // a fetch within min-refresh-interval of the last one (a background refresh the requests
            // above may have started) is not repeated: the new kid is honoured from the next fetch on
            await("the new key fetched and honoured").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> given().header("Authorization", "Token " + fresh).get("/api/user").statusCode() == 200);
            assertTrue(StubServices.JWKS_FETCHES.get() > fetches, "the key set was fetched again");
            given().header("Authorization", "Token " + token).get("/api/user").then().statusCode(200);
            given().header("Authorization", "Token " + token).get("/api/user").then().statusCode(200);
            assertEquals(2, CountingJwtParser.verifications(token), "verified again with the new set, then kept again");
        } finally {
            next.remove();
        }
    }
}

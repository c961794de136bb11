package dev.conduit.post;

import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: a token is verified (RSA) once, not on every request; the cache is in the path Quarkus'
 * JWT mechanism takes ({@link CountingJwtParser} counts what gets past it), a tampered token is
 * verified and refused even while the genuine one is cached, and a cached token is verified again
 * after the max age (5 s in tests).
 */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class VerifiedTokenCacheTest {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aTokenIsVerifiedOnceForManyRequestsAndAnotherTokenAgain() {
        Authors.Author jake = Authors.registered();
        String token = TestTokens.sign(jake.id(), jake.username());
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", "Token " + token).get("/articles/feed").then().statusCode(200);
        }
        // an optional-caller route goes the same way
        given().header("Authorization", "Token " + token).get("/articles").then().statusCode(200);
        assertEquals(1, CountingJwtParser.parses(token), "one verification for six requests");

        String other = TestTokens.sign(jake.id(), jake.username(), Instant.now().minusSeconds(10));
        given().header("Authorization", "Token " + other).get("/articles/feed").then().statusCode(200);
        given().header("Authorization", "Token " + other).get("/articles/feed").then().statusCode(200);
        assertEquals(1, CountingJwtParser.parses(other), "a different token is verified by itself, once");
        assertEquals(1, CountingJwtParser.parses(token));
    }

    @Test
    void aTamperedTokenIsRefusedWhileTheGenuineOneIsCached() {
        Authors.Author jake = Authors.registered();
        Authors.Author anna = Authors.registered();
        String token = TestTokens.sign(jake.id(), jake.username());
        given().header("Authorization", "Token " + token).get("/articles/feed").then().statusCode(200);

        String[] parts = token.split("\\.");
        // anna's claims under jake's signature
        String annasClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace(jake.id(), anna.id()).replace(jake.username(), anna.username())
                        .getBytes(StandardCharsets.UTF_8));
        // one signature byte changed
        char last = parts[2].charAt(parts[2].length() - 2);
        String badSignature = parts[2].substring(0, parts[2].length() - 2) + (last == 'A' ? 'B' : 'A') + parts[2].charAt(parts[2].length() - 1);
        for (String tampered : new String[] {parts[0] + "." + annasClaims + "." + parts[2], parts[0] + "." + parts[1] + "." + badSignature,
                token + "x", parts[0] + "." + parts[1] + "."}) {
            for (int i = 0; i < 2; i++) {
                given().header("Authorization", "Token " + tampered).get("/articles/feed").then().statusCode(401)
                        .body("errors.body", contains("token is missing, invalid or expired"));
            }
            assertEquals(2, CountingJwtParser.parses(tampered), "a refused token is never cached: verified every time");
        }
        given().header("Authorization", "Token " + token).get("/articles/feed").then().statusCode(200);
        assertEquals(1, CountingJwtParser.parses(token));
    }

    @Test
    void aCachedTokenIsVerifiedAgainAfterTheMaxAge() {
        Authors.Author jake = Authors.registered();
        String token = TestTokens.sign(jake.id(), jake.username(), Instant.now().minusSeconds(20));
        long start = System.nanoTime();
        given().header("Authorization", "Token " + token).get("/articles/feed").then().statusCode(200);
        assertEquals(1, CountingJwtParser.parses(token));
        await("verified again after the max age").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
            given().header("Authorization", "Token " + token).get("/articles/feed").then().statusCode(200);
            return CountingJwtParser.parses(token) == 2;
        });
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsed >= 5000, "not before the max age of 5 s: " + elapsed + " ms");
    }
}

package dev.conduit.post;

import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.TestKeys;
import dev.conduit.localstack.testing.TestServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A cached token stops passing when it expires, as the parser would refuse it (exp plus the clock
 * skew), not when its cache entry happens to be dropped: here the skew is 1 s and the max age an
 * hour, so only the check on each hit can refuse it within seconds.
 */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
@TestProfile(VerifiedTokenExpiryTest.ShortSkew.class)
class VerifiedTokenExpiryTest {

    public static class ShortSkew implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.jwt.verify.clock.skew", "1", "conduit.security.token-cache.max-age", "1h");
        }
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void anExpiredCachedTokenIs401() {
        Authors.Author jake = Authors.registered();
        // the first request of a fresh application is slow (the JWK set, class loading): not with the short-lived token
        given().header("Authorization", jake.auth()).get("/articles/feed").then().statusCode(200);
        Path keys = TestServers.jwtKeys().dir();
        long now = System.currentTimeMillis() / 1000;
        String token = Jwt.issuer("conduit").subject(jake.id()).upn(jake.username()).claim("username", jake.username())
                .issuedAt(now).expiresAt(now + 6)
                .jws().keyId(TestKeys.signingKid(keys)).sign(TestKeys.signingKey(keys));
        given().header("Authorization", "Token " + token).get("/articles/feed").then().statusCode(200);
        given().header("Authorization", "Token " + token).get("/articles/feed").then().statusCode(200);
        assertEquals(1, CountingJwtParser.parses(token), "cached");

        await("refused once expired").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().header("Authorization", "Token " + token).get("/articles/feed").statusCode() == 401);
        given().header("Authorization", "Token " + token).get("/articles/feed").then().statusCode(401)
                .body("errors.body", contains("token is missing, invalid or expired"));
        assertEquals(3, CountingJwtParser.parses(token), "the expired token went to the parser (and was refused) each time");
    }
}

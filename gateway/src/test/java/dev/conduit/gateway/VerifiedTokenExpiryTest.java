package dev.conduit.gateway;

import dev.conduit.gateway.http.ErrorResponses;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A kept token stops passing the edge when it expires, as the parser would refuse it (exp plus the
 * clock skew), not when its entry happens to be dropped: the skew is 1 s here and the max age an
 * hour, so only the check on each request can refuse it within seconds.
 */
@QuarkusTest
@WithTestResource(StubServices.class)
@TestProfile(VerifiedTokenExpiryTest.ShortSkew.class)
class VerifiedTokenExpiryTest extends GatewayTestSupport {

    public static class ShortSkew implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.jwt.verify.clock.skew", "1", "conduit.security.token-cache.max-age", "1h");
        }
    }

    @Test
    void anExpiredKeptTokenIs401() {
        String token = Tokens.expiringAt("jake", Instant.now().plusSeconds(5));
        given().header("Authorization", "Token " + token).get("/api/user").then().statusCode(200);
        given().header("Authorization", "Token " + token).get("/api/user").then().statusCode(200);
        assertEquals(1, CountingJwtParser.verifications(token), "kept");

        await("refused once expired").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().header("Authorization", "Token " + token).get("/api/user").statusCode() == 401);
        given().header("Authorization", "Token " + token).get("/api/user").then().statusCode(401)
                .body("errors.body[0]", equalTo(ErrorResponses.UNAUTHORIZED));
        assertEquals(3, CountingJwtParser.verifications(token), "the expired token went to the parser (and was refused) each time");
    }
}

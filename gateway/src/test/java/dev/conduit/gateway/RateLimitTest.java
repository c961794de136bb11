package dev.conduit.gateway;

import dev.conduit.localstack.testing.Scrape;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tight limits over a long period, so no bucket refills during the test and Retry-After is
 * predictable. The gateway trusts X-Forwarded-For from loopback here, as it would from an ingress,
 * which gives every test its own client address.
 */
@QuarkusTest
@TestProfile(RateLimitTest.TightLimits.class)
@WithTestResource(StubServices.class)
class RateLimitTest {

    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "conduit.gateway.rate-limit.period", "1h",
                    "conduit.gateway.rate-limit.client-requests", "20",
                    "conduit.gateway.rate-limit.user-requests", "5",
                    "conduit.gateway.rate-limit.auth-requests", "3",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
        }
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @BeforeEach
    void clean() {
        StubServices.reset();
    }

    /** A bucket refills continuously: a few seconds of test time shave a little off the full wait. */
    private static Matcher<Integer> nextTokenWithin(int seconds) {
        return allOf(greaterThan(seconds - 30), lessThanOrEqualTo(seconds));
    }

    private static RequestSpecification from(String client) {
        return given().header("X-Forwarded-For", client);
    }

    @Test
    void loginAndRegistrationAreLimitedPerClientMoreTightly() {
        for (int i = 0; i < 3; i++) {
            from("10.0.0.1").contentType(ContentType.JSON).body("{\"user\":{}}")
                    .when().post(i % 2 == 0 ? "/api/users/login" : "/api/users")
                    .then().statusCode(200);
        }
        from("10.0.0.1").contentType(ContentType.JSON).body("{\"user\":{}}")
                .when().post("/api/users/login")
                .then().statusCode(429)
                // 3 per hour: the next one in 20 minutes
                .header("Retry-After", Integer::parseInt, nextTokenWithin(1200))
                .contentType(ContentType.JSON)
                .body("errors.body[0]", matchesPattern("too many requests, retry in \\d+ s"));
        from("10.0.0.1").contentType(ContentType.JSON).body("{\"user\":{}}")
                .when().post("/api/users")
                .then().statusCode(429);
        assertEquals(3, StubServices.receivedCount(StubServices.USER), "refused before the service");
        // the same client may still read, and another client may still log in
        from("10.0.0.1").when().get("/api/tags").then().statusCode(200);
        from("10.0.0.2").contentType(ContentType.JSON).body("{\"user\":{}}")
                .when().post("/api/users/login")
                .then().statusCode(200);
    }

    @Test
    void eachUserHasABucketOfTheirOwn() {
        String amy = "Token " + Tokens.valid("amy");
        for (int i = 0; i < 5; i++) {
            from("10.0.1.1").header("Authorization", amy).when().get("/api/user").then().statusCode(200);
        }
        from("10.0.1.2").header("Authorization", amy).when().get("/api/articles")
                .then().statusCode(429)
                .header("Retry-After", Integer::parseInt, nextTokenWithin(720))
                .body("errors.body[0]", matchesPattern("too many requests, retry in \\d+ s"));
        from("10.0.1.1").header("Authorization", "Token " + Tokens.valid("bob")).when().get("/api/user")
                .then().statusCode(200);
        from("10.0.1.1").when().get("/api/tags").then().statusCode(200);
    }

    @Test
    void everyClientHasABucketOfItsOwnAndHealthIsNotLimited() {
        for (int i = 0; i < 20; i++) {
            from("10.0.2.1").when().get("/api/tags").then().statusCode(200);
        }
        from("10.0.2.1").when().get("/api/tags")
                .then().statusCode(429)
                .header("Retry-After", Integer::parseInt, nextTokenWithin(180))
                .body("errors.body[0]", matchesPattern("too many requests, retry in \\d+ s"));
        assertEquals(20, StubServices.receivedCount(StubServices.POST));
        from("10.0.2.2").when().get("/api/tags").then().statusCode(200);
        Management.given().when().get("/q/health/live").then().statusCode(200);
        Management.given().when().get("/q/metrics").then().statusCode(200)
                .body(matchesPattern("(?s).*conduit_gateway_rate_limit_keys\\{limit=\"client\"} [1-9][0-9]*\\.0.*"));
    }

    @Test
    void everyRefusalIsCountedPerLimit() {
        Map<String, String> client = Map.of("limit", "client");
        double before = refused(client);
        for (int i = 0; i < 20; i++) {
            from("10.0.3.1").when().get("/api/tags").then().statusCode(200);
        }
        assertEquals(before, refused(client), "admitted requests are not refusals");
        from("10.0.3.1").when().get("/api/tags").then().statusCode(429);
        assertEquals(before + 1, refused(client));
    }

    @Test
    void openingAStreamCountsAsARequest() {
        for (int i = 0; i < 19; i++) {
            from("10.0.4.1").when().get("/api/tags").then().statusCode(200);
        }
        try (SseClient stream = SseClient.open("/api/live/articles/a/comments", Map.of("X-Forwarded-For", "10.0.4.1"))) {
            assertEquals(200, stream.status());
            from("10.0.4.1").when().get("/api/tags").then().statusCode(429);
        }
        try (SseClient refused = SseClient.open("/api/live/articles/a/comments", Map.of("X-Forwarded-For", "10.0.4.1"))) {
            assertEquals(429, refused.status());
        }
    }

    private static double refused(Map<String, String> limit) {
        return Scrape.parse(Management.given().when().get("/q/metrics").then().statusCode(200).extract().asString())
                .valueOrZero("conduit_gateway_rate_limit_refused_total", limit);
    }
}

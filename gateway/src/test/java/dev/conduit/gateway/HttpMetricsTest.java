package dev.conduit.gateway;

import dev.conduit.localstack.testing.Scrape;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code http.server.requests} in Prometheus form: tagged with the contract's path pattern, never the
 * raw path the gateway proxies (bounded series however many slugs there are), with histogram buckets
 * for p99.
 */
@QuarkusTest
@WithTestResource(StubServices.class)
class HttpMetricsTest {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void requestsAreTimedPerRoutePatternWithBuckets() {
        String slug = "metrics-" + UUID.randomUUID();
        Map<String, String> article = Map.of("method", "GET", "uri", "/api/articles/{slug}", "status", "200");
        double before = scrape().valueOrZero("http_server_requests_seconds_count", article);
        given().get("/api/articles/" + slug).then().statusCode(200);
        given().get("/api/articles/" + slug + "-other").then().statusCode(200);
        given().post("/api/tags/" + slug).then().statusCode(404);
        given().post("/api/tags").then().statusCode(405);

        Scrape after = scrape();
        assertEquals(before + 2, after.valueOrZero("http_server_requests_seconds_count", article), after.text());
        assertEquals(before + 2, after.value("http_server_requests_seconds_bucket", with(article, "le", "+Inf")).orElseThrow());
        assertTrue(after.value("http_server_requests_seconds_bucket", with(article, "le", "0.1")).isPresent(), after.text());
        assertTrue(after.value("http_server_requests_seconds_count", Map.of("method", "POST", "status", "405", "uri", "/api/*"))
                .isPresent(), after.text());
        assertFalse(after.text().contains(slug), "no raw path in any tag");
    }

    private static Scrape scrape() {
        return Scrape.parse(Management.given().when().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> all = new java.util.HashMap<>(labels);
        all.put(name, value);
        return all;
    }
}

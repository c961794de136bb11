package dev.conduit.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(StubServices.class)
class HealthTest {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @AfterEach
    void allUp() {
        StubServices.READY_STATUS.replaceAll((name, status) -> 200);
    }

    @Test
    void readyEvenWhenEveryServiceIsDown() {
        StubServices.READY_STATUS.replaceAll((name, status) -> 503);
        Management.given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void platformViewReportsEveryServiceWhenAllAreUp() {
        Management.given().when().get("/q/health/group/platform")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'platform' }.data.'user-service'", equalTo("UP"))
                .body("checks.find { it.name == 'platform' }.data.'post-service platform'", equalTo("UP"))
                .body("checks.find { it.name == 'platform' }.data.'comment-service'", equalTo("UP"))
                .body("checks.find { it.name == 'platform' }.data.'trending-service'", equalTo("UP"));
    }

    @Test
    void platformViewNamesTheServiceThatIsNotReady() {
        StubServices.READY_STATUS.put("post-service", 503);
        // the view is cached for conduit.gateway.health-cache (1 s): it shows the change within it
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                Management.given().when().get("/q/health/group/platform")
                        .then().statusCode(503)
                        .body("status", equalTo("DOWN"))
                        .body("checks.find { it.name == 'platform' }.data.'post-service'", startsWith("DOWN (HTTP 503)"))
                        .body("checks.find { it.name == 'platform' }.data.'user-service'", equalTo("UP")));
        Management.given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aFloodOfPlatformChecksDoesNotFanOut() throws Exception {
        int before = StubServices.HEALTH_PROBES.get();
        long started = System.nanoTime();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 300; i++) {
                calls.add(pool.submit(() -> Management.given().when().get("/q/health/group/platform").statusCode()));
            }
            for (java.util.concurrent.Future<Integer> call : calls) {
                org.junit.jupiter.api.Assertions.assertEquals(200, call.get());
            }
        } finally {
            pool.shutdownNow();
        }
        int probes = StubServices.HEALTH_PROBES.get() - before;
        long windows = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + 2;
        // eight probes (four services, readiness and platform group) per cache period, not per call
        org.junit.jupiter.api.Assertions.assertTrue(probes <= 8 * windows,
                probes + " downstream probes for 300 calls in " + windows + " cache periods");
    }

    @Test
    void livenessDoesNotDependOnServices() {
        StubServices.READY_STATUS.replaceAll((name, status) -> 503);
        Management.given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void pathsOutsideTheApiAreA404InTheEnvelope() {
        given().when().get("/nothing/here")
                .then().statusCode(404)
                .contentType(containsString("application/json"))
                .body("errors.body[0]", equalTo("no route for /nothing/here"));
    }

    @Test
    void thePublicPortServesNoManagementEndpointHoweverThePathIsSpelled() {
        for (String path : new String[] {"/q/health", "/q/health/ready", "/q/health/live", "/q/metrics",
                "/api/%2e%2e/q/metrics", "/api/%2E%2E/q/health", "/api/..%2fq/metrics", "/api/%2e%2e%2fq%2fmetrics",
                "/q/%68ealth", "//q/metrics"}) {
            given().urlEncodingEnabled(false).when().get(path)
                    .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(404), equalTo(400)))
                    .body(org.hamcrest.Matchers.not(containsString("jvm_memory")))
                    .body(org.hamcrest.Matchers.not(containsString("\"status\"")));
        }
    }

    @Test
    void swaggerUiShowsThePublicContractOnThePublicPort() {
        given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("info.title", equalTo("RealWorld Conduit API"))
                .body("paths.keySet()", hasItem("/articles/{slug}/comments"))
                .body("paths.keySet()", hasItem("/trending/articles"))
                .body("paths.keySet()", hasItem("/live/feed"));
        given().when().get("/q/swagger-ui/")
                .then().statusCode(200)
                .body(containsString("swagger"));
        Management.given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}

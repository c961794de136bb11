package dev.conduit.localstack.testing;

import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * What every backend service promises operators, against the real embedded servers: health and
 * metrics on the management interface only, liveness without I/O, readiness that reports MongoDB
 * but not Kafka (the outbox buffers), the Kafka connection in the health group "platform",
 * Prometheus metrics and an OpenAPI document. A service's test extends it and adds
 * {@code @QuarkusTest @WithTestResource(ConduitTestResource.class)}.
 */
public abstract class ServiceHealthContract {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @TestHTTPResource(value = "/", management = true)
    URL management;

    /** Requests to the management interface (its root, not the {@code /q/} the injected URL points at). */
    protected RequestSpecification management() {
        return given().baseUri(TestServers.managementRoot(management));
    }

    @Test
    void livenessIsUpAndTouchesNoBackingServer() {
        management().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", everyItem(not(containsString("MongoDB"))))
                .body("checks.name", everyItem(not(containsString("Kafka connection"))));
    }

    @Test
    void readinessReportsMongoButNotTheKafkaConnection() {
        // polled: a class before this one may have restarted the shared servers
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> management().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("MongoDB")))
                .body("checks.name", everyItem(not(containsString("Kafka connection")))));
    }

    @Test
    void platformGroupReportsTheKafkaConnection() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> management().when().get("/q/health/group/platform")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Kafka connection"))));
    }

    @Test
    void prometheusMetricsAreExposed() {
        management().accept("text/plain").when().get("/q/metrics")
                .then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void openApiDocumentIsServed() {
        management().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("openapi", org.hamcrest.Matchers.startsWith("3."));
    }

    @Test
    void thePublicPortServesNoManagementEndpoint() {
        for (String path : new String[] {"/q/health", "/q/health/ready", "/q/metrics", "/q/openapi", "/%2e%2e/q/metrics"}) {
            given().urlEncodingEnabled(false).when().get(path).then().statusCode(404);
        }
    }
}

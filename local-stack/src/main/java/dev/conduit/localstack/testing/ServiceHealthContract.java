package dev.conduit.localstack.testing;

import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * What every backend service promises operators, against the real embedded servers: liveness
 * without I/O, readiness that reports MongoDB and Kafka, Prometheus metrics and an OpenAPI document.
 * A service's test extends it and adds {@code @QuarkusTest @WithTestResource(ConduitTestResource.class)}.
 */
public abstract class ServiceHealthContract {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void livenessIsUpAndTouchesNoBackingServer() {
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", everyItem(not(containsString("MongoDB"))))
                .body("checks.name", everyItem(not(containsString("Kafka"))));
    }

    @Test
    void readinessReportsMongoAndKafka() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("MongoDB")))
                .body("checks.name", hasItem(containsString("Kafka")));
    }

    @Test
    void prometheusMetricsAreExposed() {
        given().accept("text/plain").when().get("/q/metrics")
                .then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void openApiDocumentIsServed() {
        given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("openapi", org.hamcrest.Matchers.startsWith("3."));
    }
}

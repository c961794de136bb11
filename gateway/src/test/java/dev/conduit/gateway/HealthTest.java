package dev.conduit.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
    void readyWhenEveryServiceIsReady() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'downstream services' }.data.'user-service'", equalTo("UP"))
                .body("checks.find { it.name == 'downstream services' }.data.'post-service'", equalTo("UP"))
                .body("checks.find { it.name == 'downstream services' }.data.'comment-service'", equalTo("UP"));
    }

    @Test
    void notReadyAndNamesTheServiceThatIsNot() {
        StubServices.READY_STATUS.put("post-service", 503);
        given().when().get("/q/health/ready")
                .then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'downstream services' }.data.'post-service'", startsWith("DOWN (HTTP 503)"))
                .body("checks.find { it.name == 'downstream services' }.data.'user-service'", equalTo("UP"));
    }

    @Test
    void livenessDoesNotDependOnServices() {
        StubServices.READY_STATUS.replaceAll((name, status) -> 503);
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void pathsOutsideTheApiAreA404InTheEnvelope() {
        given().when().get("/nothing/here")
                .then().statusCode(404)
                .contentType(containsString("application/json"))
                .body("errors.body[0]", equalTo("no route for /nothing/here"));
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void swaggerUiShowsThePublicContract() {
        given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("info.title", equalTo("RealWorld Conduit API"))
                .body("paths.keySet()", hasItem("/articles/{slug}/comments"));
        given().when().get("/q/swagger-ui/")
                .then().statusCode(200)
                .body(containsString("swagger"));
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}

package dev.conduit.systemtests;

import dev.conduit.localstack.Platform;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The packaged platform comes up, and the gateway reports every service ready. */
class PlatformIT {

    @Test
    void gatewayReportsEveryServiceReady() {
        given(SharedPlatform.gateway()).when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'downstream services' }.data.'user-service'", equalTo("UP"))
                .body("checks.find { it.name == 'downstream services' }.data.'post-service'", equalTo("UP"))
                .body("checks.find { it.name == 'downstream services' }.data.'comment-service'", equalTo("UP"));
    }

    @Test
    void everyServiceIsReadyWithItsBackingServers() {
        Platform.Settings s = SharedPlatform.get().settings();
        for (int port : new int[] {s.userPort(), s.postPort(), s.commentPort()}) {
            given().baseUri("http://127.0.0.1").port(port).when().get("/q/health/ready")
                    .then().statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.find { it.name.contains('MongoDB') }.status", equalTo("UP"))
                    .body("checks.find { it.name.contains('Kafka') }.status", equalTo("UP"));
        }
    }
}

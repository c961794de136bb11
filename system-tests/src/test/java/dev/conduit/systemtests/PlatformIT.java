package dev.conduit.systemtests;

import dev.conduit.localstack.Platform;
import dev.conduit.localstack.Training;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged platform comes up; health lives on the management ports, never on the public ones. */
class PlatformIT {

    @Test
    void gatewayPlatformViewReportsEveryServiceReady() {
        Platform.Settings s = SharedPlatform.get().settings();
        JourneyIT.eventually(() -> given(SharedPlatform.management(s.gatewayManagementPort())).get("/q/health/group/platform")
                .statusCode() == 200);
        given(SharedPlatform.management(s.gatewayManagementPort())).when().get("/q/health/group/platform")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'platform' }.data.'user-service'", equalTo("UP"))
                .body("checks.find { it.name == 'platform' }.data.'post-service platform'", equalTo("UP"))
                .body("checks.find { it.name == 'platform' }.data.'comment-service'", equalTo("UP"));
        given(SharedPlatform.management(s.gatewayManagementPort())).when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void everyServiceIsReadyWithItsDatabaseAndReportsKafkaInItsPlatformGroup() {
        Platform.Settings s = SharedPlatform.get().settings();
        for (int port : new int[] {s.userManagementPort(), s.postManagementPort(), s.commentManagementPort()}) {
            given(SharedPlatform.management(port)).when().get("/q/health/ready")
                    .then().statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.find { it.name.contains('MongoDB') }.status", equalTo("UP"));
            given(SharedPlatform.management(port)).when().get("/q/health/group/platform")
                    .then().statusCode(200)
                    .body("checks.find { it.name.contains('Kafka connection') }.status", equalTo("UP"));
        }
    }

    @Test
    void noPublicPortServesHealthOrMetrics() {
        Platform.Settings s = SharedPlatform.get().settings();
        for (int port : new int[] {s.gatewayPort(), s.userPort(), s.postPort(), s.commentPort(), s.trendingPort()}) {
            for (String path : new String[] {"/q/health/ready", "/q/metrics", "/api/%2e%2e/q/metrics", "/api/..%2Fq/metrics"}) {
                given().urlEncodingEnabled(false).baseUri("http://127.0.0.1").port(port).when().get(path)
                        .then().statusCode(anyOf(equalTo(404), equalTo(400)))
                        .body(not(containsString("jvm_memory")));
            }
        }
    }

    /**
     * The training run of ./conduit build (the services' class-data archives) sends this workload and keeps
     * no archive when any answer differs from what it expects: it must pass against the packaged platform.
     */
    @Test
    void trainingWorkloadPassesAgainstThePackagedPlatform() {
        int requests = new Training(SharedPlatform.get().settings()).run();
        assertTrue(requests >= 50, "requests sent: " + requests);
    }
}

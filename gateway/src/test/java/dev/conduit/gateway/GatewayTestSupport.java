package dev.conduit.gateway;

import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * Common ground of the gateway's tests: every test starts with listening echo stubs, nothing
 * recorded, and every circuit breaker closed with a window full of successes, whatever the test
 * before it did; so a test knows exactly how many failures open a breaker.
 */
abstract class GatewayTestSupport {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        // a gateway that hangs must fail a test, not stall the build
        RestAssured.config = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.connection.timeout", 5_000)
                .setParam("http.socket.timeout", 10_000));
    }

    private static final List<String> ONE_ROUTE_PER_SERVICE =
            List.of("/api/tags", "/api/profiles/probe", "/api/articles/probe/comments", "/api/trending/tags");

    @BeforeEach
    @AfterEach
    void everyServiceAnswers() {
        StubServices.reset();
        // a breaker a previous test opened closes after its open delay and one good trial call
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> ONE_ROUTE_PER_SERVICE.stream().allMatch(path -> given().get(path).statusCode() == 200));
        int window = ConfigProvider.getConfig().getValue("conduit.gateway.breaker.window", Integer.class);
        for (int i = 0; i < window; i++) {
            ONE_ROUTE_PER_SERVICE.forEach(path -> given().get(path).then().statusCode(200));
        }
        StubServices.reset();
    }
}

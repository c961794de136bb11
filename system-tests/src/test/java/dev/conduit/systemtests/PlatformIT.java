package dev.conduit.systemtests;

import dev.conduit.localstack.Platform;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * Runs the packaged platform exactly as {@code ./conduit} does (same launcher code, separate
 * processes, H2-backed MongoDB-wire server, real Kafka) on free ports, and checks it through the
 * gateway.
 */
class PlatformIT {

    static Platform platform;

    @BeforeAll
    static void startPlatform() throws IOException {
        Path home = Path.of(System.getProperty("conduit.home", "..")).toAbsolutePath().normalize();
        Path data = home.resolve("system-tests").resolve("target").resolve("platform-data");
        deleteRecursively(data);
        platform = new Platform(Platform.Settings.onFreePorts(home, data), System.out);
        platform.start();
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = platform.settings().gatewayPort();
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void gatewayReportsEveryServiceReady() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'downstream services' }.data.'user-service'", equalTo("UP"))
                .body("checks.find { it.name == 'downstream services' }.data.'post-service'", equalTo("UP"))
                .body("checks.find { it.name == 'downstream services' }.data.'comment-service'", equalTo("UP"));
    }

    @Test
    void everyServiceIsReadyWithItsBackingServers() {
        for (int port : new int[] {platform.settings().userPort(), platform.settings().postPort(),
                platform.settings().commentPort()}) {
            given().port(port).when().get("/q/health/ready")
                    .then().statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.find { it.name.contains('MongoDB') }.status", equalTo("UP"))
                    .body("checks.find { it.name.contains('Kafka') }.status", equalTo("UP"));
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

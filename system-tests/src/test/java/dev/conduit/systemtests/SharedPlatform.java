package dev.conduit.systemtests;

import dev.conduit.localstack.Platform;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One packaged platform for every system test class, started as {@code ./conduit} starts it
 * (same launcher code, separate processes, H2-backed MongoDB-wire server, real Kafka) on free
 * ports, and stopped when the test JVM exits.
 */
final class SharedPlatform {

    private static Platform platform;

    private SharedPlatform() {
    }

    static synchronized Platform get() {
        if (platform == null) {
            Path home = Path.of(System.getProperty("conduit.home", "..")).toAbsolutePath().normalize();
            Path data = home.resolve("system-tests").resolve("target").resolve("platform-data");
            deleteRecursively(data);
            Platform started = new Platform(Platform.Settings.onFreePorts(home, data), System.out);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "system-test-platform-stop"));
            started.start();
            platform = started;
            RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        }
        return platform;
    }

    /** Requests to the gateway's public API ({@code /api}). */
    static RequestSpecification api() {
        return new RequestSpecBuilder().setBaseUri("http://127.0.0.1").setPort(get().settings().gatewayPort())
                .setBasePath("/api").build();
    }

    /** Requests to the gateway's public port outside the API (Swagger UI, OpenAPI). */
    static RequestSpecification gateway() {
        return new RequestSpecBuilder().setBaseUri("http://127.0.0.1").setPort(get().settings().gatewayPort()).build();
    }

    /** Requests to a management interface (health, metrics) on {@code port}. */
    static RequestSpecification management(int port) {
        return new RequestSpecBuilder().setBaseUri("http://127.0.0.1").setPort(port).build();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

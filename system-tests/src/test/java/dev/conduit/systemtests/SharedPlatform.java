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
import java.util.Map;
import java.util.stream.Stream;

/**
 * One packaged platform for every system test class, started as {@code ./conduit} starts it
 * (same launcher code, separate processes, H2-backed MongoDB-wire server, real Kafka) on free
 * ports, and stopped when the test JVM exits. Tracing is on, exported to an in-memory OTLP receiver
 * ({@link #spans()}), so every system test also runs the traced code paths.
 */
final class SharedPlatform {

    private static Platform platform;
    private static OtlpReceiver spans;

    private SharedPlatform() {
    }

    static synchronized Platform get() {
        if (platform == null) {
            Path home = Path.of(System.getProperty("conduit.home", "..")).toAbsolutePath().normalize();
            Path data = home.resolve("system-tests").resolve("target").resolve("platform-data");
            deleteRecursively(data);
            spans = new OtlpReceiver();
            Platform started = new Platform(Platform.Settings.onFreePorts(home, data), System.out, Map.of(
                    "CONDUIT_TRACING", "true",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", spans.endpoint(),
                    "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                    "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms"));
            OtlpReceiver receiver = spans;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                receiver.close();
            }, "system-test-platform-stop"));
            started.start();
            platform = started;
            RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        }
        return platform;
    }

    /** The spans the platform's parts exported. */
    static OtlpReceiver spans() {
        get();
        return spans;
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

package dev.conduit.localstack;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the launcher fails: one clear line, and nothing it started left running. */
class PlatformTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void fakeBuiltServices() throws Exception {
        for (String service : List.of("user-service", "post-service", "comment-service", "trending-service", "gateway")) {
            Path runner = home.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
            Files.createDirectories(runner.getParent());
            Files.writeString(runner, "not a jar");
        }
    }

    @Test
    void aTakenPortIsNamedWithTheSettingThatMovesIt() throws Exception {
        Platform.Settings settings = Platform.Settings.onFreePorts(home, home.resolve("data"));
        try (ServerSocket taken = new ServerSocket(settings.postPort(), 1, InetAddress.getLoopbackAddress())) {
            LaunchException e = assertThrows(LaunchException.class, () -> platform(settings).start());
            assertEquals("port " + settings.postPort() + " (post-service) is already in use; stop what holds it or set "
                    + "CONDUIT_POST_PORT to another port", e.getMessage());
        }
    }

    @Test
    void aServiceThatIsNotBuiltIsNamed() throws Exception {
        Files.delete(home.resolve("comment-service/target/quarkus-app/quarkus-run.jar"));
        LaunchException e = assertThrows(LaunchException.class,
                () -> platform(Platform.Settings.onFreePorts(home, home.resolve("data"))).start());
        assertTrue(e.getMessage().startsWith("comment-service is not built"), e.getMessage());
    }

    @Test
    void aBadPortSettingIsRefused() {
        LaunchException e = assertThrows(LaunchException.class, () -> Platform.Settings.fromEnvironment(home,
                Map.of("CONDUIT_GATEWAY_PORT", "80800")::get));
        assertEquals("CONDUIT_GATEWAY_PORT=80800 is not a port number (1-65535)", e.getMessage());
    }

    @Test
    void aServiceThatFailsToStartIsNamedAndEverythingStartedIsStopped() {
        Platform platform = platform(Platform.Settings.onFreePorts(home, home.resolve("data")));
        LaunchException e = assertThrows(LaunchException.class, platform::start);
        assertTrue(e.getMessage().matches("(user|post|comment|trending)-service exited with code 1 before it was ready: .*jarfile.*"),
                e.getMessage());
        String printed = output.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("kafka") && printed.contains("mongo"), printed);
        assertTrue(ProcessHandle.current().children().findAny().isEmpty(), "a child process outlived the failed start");
    }

    @Test
    void trendingServiceIsTheSeventhPartWithItsStateInTheDataDir() {
        Platform.Settings settings = Platform.Settings.fromEnvironment(home, Map.of("CONDUIT_DATA", home.resolve("d").toString())::get);
        assertEquals(8084, settings.trendingPort());
        assertEquals(9084, settings.trendingManagementPort());
        List<Platform.Service> services = platform(settings).services(JwtKeys.ensure(home.resolve("keys")));
        assertEquals(List.of("user-service", "post-service", "comment-service", "trending-service", "gateway"),
                services.stream().map(Platform.Service::name).toList());
        Platform.Service trending = services.get(3);
        assertEquals("127.0.0.1", trending.env().get("TRENDING_ADVERTISED_HOST"));
        assertEquals("8084", trending.env().get("TRENDING_ADVERTISED_PORT"));
        assertEquals(home.resolve("d").resolve("trending").toString(), trending.env().get("TRENDING_STATE_DIR"));
        assertEquals("0", trending.env().get("TRENDING_STANDBY_REPLICAS"));
        assertEquals("http://127.0.0.1:8082", trending.env().get("POST_SERVICE_URL"));
        Platform.Service gateway = services.get(4);
        assertEquals("http://127.0.0.1:8084", gateway.env().get("TRENDING_SERVICE_URL"));
        assertEquals("http://127.0.0.1:9084", gateway.env().get("TRENDING_SERVICE_MANAGEMENT_URL"));
    }

    @Test
    void aTakenTrendingPortIsNamedWithItsSetting() throws Exception {
        Platform.Settings settings = Platform.Settings.onFreePorts(home, home.resolve("data"));
        try (ServerSocket taken = new ServerSocket(settings.trendingManagementPort(), 1, InetAddress.getLoopbackAddress())) {
            LaunchException e = assertThrows(LaunchException.class, () -> platform(settings).start());
            assertEquals("port " + settings.trendingManagementPort() + " (trending-service management) is already in use; "
                    + "stop what holds it or set CONDUIT_TRENDING_MANAGEMENT_PORT to another port", e.getMessage());
        }
    }

    private Platform platform(Platform.Settings settings) {
        return new Platform(settings, new PrintStream(output, true, StandardCharsets.UTF_8));
    }
}

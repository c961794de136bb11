package dev.conduit.localstack.testing;

import dev.conduit.localstack.ChildProcess;
import dev.conduit.localstack.JwtKeys;
import dev.conduit.localstack.Ports;
import dev.conduit.localstack.Servers;

import org.awaitility.Awaitility;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * One Kafka broker and one in-memory MongoDB-wire server for a whole test JVM, shared by every
 * test class, stopped when the JVM exits; and the run's JWT key set folder, published as a JWK set
 * the way user-service publishes its own (a small HTTP server, {@link #jwksUrl()}), so a verifying
 * service fetches its keys as it does in production.
 *
 * <p>The registry lives in system properties, not in static fields: Quarkus may load this class in
 * more than one class loader during a test run, and each must find the same servers.
 */
public final class TestServers {

    private static final String PREFIX = "conduit.test.";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private TestServers() {
    }

    /** Starts the servers on first call; returns the configuration a service needs to use them. */
    public static synchronized Map<String, String> config() {
        if (get("dir") == null) {
            startAll();
        }
        return Map.of(
                "quarkus.mongodb.connection-string", mongoUri(),
                "kafka.bootstrap.servers", kafkaBootstrap(),
                // verifiers fetch the run's JWK set; user-service signs and verifies with the folder itself
                "mp.jwt.verify.publickey.location", jwksUrl(),
                "conduit.user.keys.directory", jwtKeys().dir().toString());
    }

    /**
     * The JWK set of the run's key folder ({@link TestKeys#jwks}), read anew on every request and
     * cacheable for one second, so a key a test adds or removes reaches the verifiers quickly.
     */
    public static String jwksUrl() {
        return "http://127.0.0.1:" + require("jwks.port") + "/jwks";
    }

    public static String kafkaBootstrap() {
        return "127.0.0.1:" + require("kafka.port");
    }

    public static String mongoUri() {
        return "mongodb://127.0.0.1:" + require("mongo.port");
    }

    public static JwtKeys jwtKeys() {
        return new JwtKeys(Path.of(require("jwt.public")), Path.of(require("jwt.private")));
    }

    /** Stops the broker (SIGTERM, clean shutdown), to test what services do while Kafka is down. */
    public static synchronized void stopKafka() {
        ProcessHandle.of(Long.parseLong(require("kafka.pid"))).ifPresent(TestServers::terminate);
    }

    /** Starts the broker again on the same port and data, after {@link #stopKafka()}. */
    public static synchronized void startKafka() {
        Path dir = Path.of(require("dir"));
        ChildProcess kafka = Servers.startKafka(dir.resolve("kafka"), Integer.parseInt(require("kafka.port")),
                Integer.parseInt(require("kafka.controller.port")), dir.resolve("kafka.log"));
        kafka.awaitReady(Servers.ready(), READY_TIMEOUT);
        set("kafka.pid", String.valueOf(kafka.pid()));
    }

    /**
     * Starts the broker again and waits until the service under test says it is whole again (its
     * platform health group UP: Kafka connected, consumers assigned), so a test class that took
     * Kafka away leaves nothing behind for the classes after it.
     */
    public static void restoreKafka(URL management) {
        startKafka();
        URI platform = URI.create(managementRoot(management) + "/q/health/group/platform");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Awaitility.await("the platform group UP again after the broker's restart").atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                // a health answer slower than the request's timeout (a busy machine, checks waiting for
                // the broker) is one more poll, not the end of the wait
                .ignoreExceptionsInstanceOf(java.io.IOException.class)
                .until(() -> http.send(HttpRequest.newBuilder(platform).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /**
     * The root of a management interface from the URL Quarkus injects for it
     * ({@code @TestHTTPResource(value = "/", management = true)}, which points at {@code /q/}).
     */
    public static String managementRoot(URL management) {
        return management.getProtocol() + "://" + management.getHost() + ":" + management.getPort();
    }

    private static void startAll() {
        try {
            Path dir = Files.createTempDirectory("conduit-test-");
            int kafkaPort = Ports.free();
            int controllerPort = Ports.free();
            int mongoPort = Ports.free();
            JwtKeys keys = JwtKeys.ensure(dir.resolve("keys"));
            ChildProcess kafka = Servers.startKafka(dir.resolve("kafka"), kafkaPort, controllerPort, dir.resolve("kafka.log"));
            ChildProcess mongo = Servers.startMongo(null, mongoPort, dir.resolve("mongo.log"));
            set("kafka.pid", String.valueOf(kafka.pid()));
            set("mongo.pid", String.valueOf(mongo.pid()));
            set("dir", dir.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(TestServers::stopAll, "conduit-test-servers-stop"));
            mongo.awaitReady(Servers.ready(), READY_TIMEOUT);
            kafka.awaitReady(Servers.ready(), READY_TIMEOUT);
            set("kafka.port", String.valueOf(kafkaPort));
            set("kafka.controller.port", String.valueOf(controllerPort));
            set("mongo.port", String.valueOf(mongoPort));
            set("jwt.public", keys.publicKey().toString());
            set("jwt.private", keys.privateKey().toString());
            set("jwks.port", String.valueOf(startJwksServer(keys.dir())));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the test servers' folder", e);
        }
    }

    private static int startJwksServer(Path keys) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/jwks", exchange -> {
            try {
                byte[] body = TestKeys.jwks(keys).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
                exchange.getResponseHeaders().add("Cache-Control", "max-age=1");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (RuntimeException e) {
                // a folder a test is changing: the verifier keeps its keys and asks again
                exchange.sendResponseHeaders(500, -1);
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "conduit-test-jwks");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0), "conduit-test-jwks-stop"));
        return server.getAddress().getPort();
    }

    private static void stopAll() {
        for (String pid : new String[] {get("kafka.pid"), get("mongo.pid")}) {
            if (pid != null) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(TestServers::terminate);
            }
        }
        String dir = get("dir");
        if (dir != null) {
            try (Stream<Path> files = Files.walk(Path.of(dir))) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // the temp folder is the OS's to clean then
            }
        }
    }

    private static void terminate(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    private static String get(String key) {
        return System.getProperty(PREFIX + key);
    }

    private static void set(String key, String value) {
        System.setProperty(PREFIX + key, value);
    }

    private static String require(String key) {
        String value = get(key);
        if (value == null) {
            throw new IllegalStateException("the test servers are not started; annotate the test with "
                    + "@WithTestResource(ConduitTestResource.class)");
        }
        return value;
    }
}

package dev.conduit.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.conduit.localstack.testing.TestServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A stand-in for user-service's {@code GET /internal/users/{id}/following} on a free loopback port,
 * one per test JVM; users it was not told about are 404. Tests steer it over HTTP
 * ({@code /__stub/...}), not through static state, because Quarkus may load this class in more
 * than one class loader: the port is kept in a system property, like the shared test servers.
 */
public final class UserServiceStub {

    private static final String PORT = "conduit.test.user-stub.port";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, Map<String, Object>> answers = new ConcurrentHashMap<>();

    private UserServiceStub() {
    }

    /** The shared servers, with post-service's user-service client pointed at the stub. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(TestServers.config());
            config.put("quarkus.rest-client.user-service.url", UserServiceStub.start());
            return config;
        }

        @Override
        public void stop() {
            // the servers and the stub are shared by the JVM's test classes and end with it
        }
    }

    static synchronized String start() {
        if (System.getProperty(PORT) == null) {
            try {
                UserServiceStub stub = new UserServiceStub();
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/internal/users/", stub::lookup);
                server.createContext("/__stub/following/", stub::answer);
                // a slow answer must not hold up the others
                server.setExecutor(Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "user-service-stub");
                    t.setDaemon(true);
                    return t;
                }));
                server.start();
                System.setProperty(PORT, String.valueOf(server.getAddress().getPort()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the user-service stub", e);
            }
        }
        return baseUrl();
    }

    private static String baseUrl() {
        return "http://127.0.0.1:" + System.getProperty(PORT);
    }

    /** From now on user-service says {@code userId} follows {@code followees}. */
    static void follows(String userId, List<String> followees) {
        answerWith(userId, followees, 0);
    }

    /** user-service says so, but only after {@code delayMillis}. */
    static void answerWith(String userId, List<String> followees, long delayMillis) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("following", followees);
        answer.put("delayMillis", delayMillis);
        try {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/__stub/following/" + userId))
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(answer)))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the user-service stub answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the user-service stub", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void lookup(HttpExchange exchange) throws IOException {
        // /internal/users/{id}/following
        String[] parts = exchange.getRequestURI().getPath().split("/");
        String userId = parts[3];
        Map<String, Object> answer = answers.get(userId);
        if (answer == null) {
            reply(exchange, 404, "{\"errors\":{\"body\":[\"user not found\"]}}");
            return;
        }
        long delay = ((Number) answer.get("delayMillis")).longValue();
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        reply(exchange, 200, JSON.writeValueAsString(Map.of("userId", userId, "following", answer.get("following"), "version", 1)));
    }

    @SuppressWarnings("unchecked")
    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        answers.put(path.substring(path.lastIndexOf('/') + 1), JSON.readValue(exchange.getRequestBody().readAllBytes(), Map.class));
        reply(exchange, 200, "ok");
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

package dev.conduit.comment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for post-service's {@code GET /internal/articles/by-slug/{slug}} on a free loopback
 * port, one per test JVM. Tests steer it over HTTP ({@code /__stub/...}), not through static
 * state, because Quarkus may load this class in more than one class loader: the port is kept in a
 * system property, like the shared test servers.
 */
public final class PostServiceStub {

    private static final String PORT = "conduit.test.post-stub.port";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, Map<String, Object>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    private PostServiceStub() {
    }

    /** Starts the stub on first call; returns its base URL. */
    static synchronized String start() {
        if (System.getProperty(PORT) == null) {
            try {
                PostServiceStub stub = new PostServiceStub();
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/internal/articles/by-slug/", stub::lookup);
                server.createContext("/__stub/articles/", stub::answer);
                server.createContext("/__stub/calls/", stub::calls);
                // a slow answer must not hold up the others
                server.setExecutor(Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "post-service-stub");
                    t.setDaemon(true);
                    return t;
                }));
                server.start();
                System.setProperty(PORT, String.valueOf(server.getAddress().getPort()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the post-service stub", e);
            }
        }
        return baseUrl();
    }

    static String baseUrl() {
        return "http://127.0.0.1:" + System.getProperty(PORT);
    }

    /** From now on post-service knows {@code slug} as this article. */
    static void knows(String slug, String articleId, String authorId, long version) {
        answerWith(slug, articleId, authorId, version, 0);
    }

    /** post-service knows {@code slug} but takes {@code delayMillis} to say so. */
    static void answerWith(String slug, String articleId, String authorId, long version, long delayMillis) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("articleId", articleId);
        answer.put("slug", slug);
        answer.put("authorId", authorId);
        answer.put("version", version);
        answer.put("delayMillis", delayMillis);
        send("PUT", "/__stub/articles/" + slug, answer);
    }

    /** How often comment-service asked for {@code slug}. */
    static int calls(String slug) {
        return Integer.parseInt(send("GET", "/__stub/calls/" + slug, null));
    }

    private static String send(String method, String path, Object body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .method(method, publisher).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the post-service stub", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void lookup(HttpExchange exchange) throws IOException {
        String slug = last(exchange);
        calls.computeIfAbsent(slug, s -> new AtomicInteger()).incrementAndGet();
        Map<String, Object> answer = answers.get(slug);
        if (answer == null) {
            reply(exchange, 404, "{\"errors\":{\"body\":[\"article not found\"]}}");
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
        Map<String, Object> body = new LinkedHashMap<>(answer);
        body.remove("delayMillis");
        reply(exchange, 200, JSON.writeValueAsString(body));
    }

    @SuppressWarnings("unchecked")
    private void answer(HttpExchange exchange) throws IOException {
        answers.put(last(exchange), JSON.readValue(exchange.getRequestBody().readAllBytes(), Map.class));
        reply(exchange, 200, "ok");
    }

    private void calls(HttpExchange exchange) throws IOException {
        AtomicInteger count = calls.get(last(exchange));
        reply(exchange, 200, String.valueOf(count == null ? 0 : count.get()));
    }

    private static String last(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        return path.substring(path.lastIndexOf('/') + 1);
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

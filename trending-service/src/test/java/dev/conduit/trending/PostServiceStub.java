package dev.conduit.trending;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A stand-in for post-service's {@code GET /internal/articles?ids=}: each id becomes an article
 * whose slug is the id, {@code favorited} says whether a token came along and {@code author.bio}
 * echoes it. While the system property {@value #DOWN} is {@code true} it answers 500. It remembers
 * the trace headers of each request that had an {@code X-Request-Id} ({@link #lastHeader}). State lives in
 * system properties because Quarkus may load this class in more than one class loader.
 */
final class PostServiceStub {

    static final String DOWN = "conduit.test.trending.post-stub.down";
    private static final String PORT = "conduit.test.trending.post-stub.port";
    private static final String SEEN = "conduit.test.trending.post-stub.seen.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PostServiceStub() {
    }

    static synchronized String start() {
        if (System.getProperty(PORT) == null) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/internal/articles", PostServiceStub::articles);
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
        return "http://127.0.0.1:" + System.getProperty(PORT);
    }

    /** The {@code traceparent} and {@code X-Request-Id} of the last request whose request id was {@code requestId}. */
    static String lastHeader(String requestId, String name) {
        return System.getProperty(SEEN + requestId + "." + name);
    }

    private static void articles(HttpExchange exchange) throws IOException {
        String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
        if (requestId != null) {
            for (String name : List.of("traceparent", "X-Request-Id")) {
                List<String> values = exchange.getRequestHeaders().get(name);
                if (values != null) {
                    System.setProperty(SEEN + requestId + "." + name, String.join("|", values));
                }
            }
        }
        if (Boolean.getBoolean(DOWN)) {
            reply(exchange, 500, Map.of("errors", Map.of("body", List.of("down"))));
            return;
        }
        String query = exchange.getRequestURI().getRawQuery();
        String ids = query == null ? "" : URLDecoder.decode(query.replaceFirst("^ids=", ""), StandardCharsets.UTF_8);
        String token = exchange.getRequestHeaders().getFirst("Authorization");
        List<Map<String, Object>> articles = new ArrayList<>();
        for (String id : ids.split(",")) {
            Map<String, Object> author = new LinkedHashMap<>();
            author.put("username", "author");
            author.put("bio", token);
            author.put("image", null);
            author.put("following", false);
            Map<String, Object> article = new LinkedHashMap<>();
            article.put("slug", id);
            article.put("title", "Title " + id);
            article.put("favorited", token != null);
            article.put("author", author);
            articles.add(article);
        }
        reply(exchange, 200, Map.of("articles", articles, "articlesCount", articles.size()));
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

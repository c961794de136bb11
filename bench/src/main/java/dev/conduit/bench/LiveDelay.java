package dev.conduit.bench;

import dev.conduit.localstack.testing.SseClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The delay of a live update, end to end: from sending {@code POST /api/articles/{slug}/comments}
 * to the gateway until the comment arrives as an event on {@code GET /api/live/articles/{slug}/comments}
 * through the gateway (outbox relay, Kafka, the service's live reader, rendering, the gateway's
 * relay). One comment at a time, paced, on an otherwise idle platform. {@code bench/run.sh --trending}
 * runs it on a platform of its own ({@link TrendingBench}); it also runs by itself against a running
 * platform: {@code java -cp <bench classpath> dev.conduit.bench.LiveDelay http://127.0.0.1:8080 200}.
 */
final class LiveDelay {

    /** The goal. */
    static final double TARGET_P99_MS = 200;
    private static final Duration GIVE_UP = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;
    private final PrintStream out;

    LiveDelay(String gatewayUrl, PrintStream out) {
        this.gateway = gatewayUrl;
        this.out = out;
    }

    public static void main(String[] args) {
        String gateway = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Propagation.Result result = new LiveDelay(gateway, System.out).measure(samples);
        System.out.printf(Locale.ROOT, "live comment delay: p50 %s ms, p99 %s ms, max %s ms, %d not seen (goal p99 < %.0f ms)%n",
                Table.number(result.percentile(50), 1), Table.number(result.percentile(99), 1),
                Table.number(result.max(), 1), result.missed(), TARGET_P99_MS);
    }

    /** {@code samples} comments measured after {@link Propagation#WARMUP} unmeasured ones, on a new user's new article. */
    Propagation.Result measure(int samples) {
        String name = "live_" + UUID.randomUUID().toString().substring(0, 8);
        JsonObject user = call("POST", "/users", null, new JsonObject().put("user", new JsonObject()
                .put("username", name).put("email", name + "@bench.invalid").put("password", "live-delay-" + name)));
        String token = user.getJsonObject("user").getString("token");
        String slug = call("POST", "/articles", token, new JsonObject().put("article", new JsonObject()
                .put("title", "Live " + name).put("description", "live delay").put("body", "Comments arrive live.")
                .put("tagList", new JsonArray()))).getJsonObject("article").getString("slug");
        String path = "/articles/" + slug + "/comments";
        // comment-service knows the article before the stream opens (404 until then)
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        SseClient stream = null;
        while (stream == null) {
            SseClient attempt = SseClient.open(URI.create(gateway), "/api/live" + path, Map.of("Authorization", "Token " + token));
            if (attempt.status() == 200) {
                stream = attempt;
            } else {
                attempt.close();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the live stream of " + slug + " answered " + attempt.status());
                }
                pause();
            }
        }
        out.printf(Locale.ROOT, "live delay: %d + %d comments ...%n", Propagation.WARMUP, samples);
        List<Double> millis = new ArrayList<>();
        int missed = 0;
        try (SseClient events = stream) {
            for (int n = 1; n <= Propagation.WARMUP + samples; n++) {
                long start = System.nanoTime();
                long id = call("POST", path, token, new JsonObject().put("comment", new JsonObject().put("body", "live " + n)))
                        .getJsonObject("comment").getLong("id");
                long seen = -1;
                long giveUp = start + GIVE_UP.toNanos();
                while (seen < 0 && System.nanoTime() < giveUp) {
                    SseClient.Event event = events.next(Duration.ofNanos(Math.max(1, giveUp - System.nanoTime())));
                    if (event != null && "comment".equals(event.type())
                            && new JsonObject(event.data()).getJsonObject("comment").getLong("id") == id) {
                        seen = System.nanoTime();
                    }
                }
                if (n > Propagation.WARMUP) {
                    if (seen < 0) {
                        missed++;
                    } else {
                        millis.add((seen - start) / 1e6);
                    }
                }
                pause();
            }
        }
        return new Propagation.Result("POST /api/articles/{slug}/comments", "SSE GET /api/live/articles/{slug}/comments",
                millis.stream().mapToDouble(Double::doubleValue).toArray(), missed);
    }

    private static void pause() {
        try {
            Thread.sleep(Propagation.PACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private JsonObject call(String method, String path, String token, JsonObject body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + "/api" + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body.encode()));
        if (token != null) {
            request.header("Authorization", "Token " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " /api" + path + " answered " + response.statusCode() + " " + response.body());
            }
            return new JsonObject(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " /api" + path + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}

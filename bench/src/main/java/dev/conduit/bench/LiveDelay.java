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
import java.util.function.IntFunction;

/**
 * The delay of a live update, end to end: from sending {@code POST /api/articles/{slug}/comments}
 * to the gateway until the comment arrives as an event on {@code GET /api/live/articles/{slug}/comments}
 * through the gateway (outbox relay, Kafka, the service's live reader, rendering, the gateway's
 * relay); and from {@code POST /api/articles} by an author the reader follows until its
 * {@code event: article} on the reader's {@code GET /api/live/feed} (post-service's live reader,
 * the follow checked in the authors read model, the feed item read). One write at a time, paced,
 * on an otherwise idle platform. {@code bench/run.sh --trending}
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
        for (Propagation.Result result : new LiveDelay(gateway, System.out).measure(samples)) {
            System.out.println(line(result));
        }
    }

    /** One result as a line: what, p50, p99, max, not seen, and the goal. */
    static String line(Propagation.Result result) {
        return String.format(Locale.ROOT, "live delay %s -> %s: p50 %s ms, p99 %s ms, max %s ms, %d not seen (goal p99 < %.0f ms)",
                result.write(), result.readModel(), Table.number(result.percentile(50), 1), Table.number(result.percentile(99), 1),
                Table.number(result.max(), 1), result.missed(), TARGET_P99_MS);
    }

    /** Both delays: the comments' ({@link #measureComments}), then the feed's ({@link #measureFeed}). */
    List<Propagation.Result> measure(int samples) {
        return List.of(measureComments(samples), measureFeed(samples));
    }

    /** {@code samples} comments measured after {@link Propagation#WARMUP} unmeasured ones, on a new user's new article. */
    Propagation.Result measureComments(int samples) {
        String token = register("live");
        String slug = publish(token, "Live");
        String path = "/articles/" + slug + "/comments";
        // comment-service knows the article before the stream opens (404 until then)
        SseClient stream = openStream("/api/live" + path, token);
        out.printf(Locale.ROOT, "live delay: %d + %d comments ...%n", Propagation.WARMUP, samples);
        double[][] measured = measureOn(stream, samples, "comment", "/comment/id",
                n -> String.valueOf(call("POST", path, token, new JsonObject().put("comment", new JsonObject().put("body", "live " + n)))
                        .getJsonObject("comment").getLong("id")));
        return new Propagation.Result("POST /api/articles/{slug}/comments", "SSE GET /api/live/articles/{slug}/comments",
                measured[0], (int) measured[1][0]);
    }

    /**
     * {@code samples} publications by an author the reader follows, measured after
     * {@link Propagation#WARMUP} unmeasured ones, to their {@code event: article} on the reader's
     * {@code /api/live/feed}.
     */
    Propagation.Result measureFeed(int samples) {
        String author = register("lauthor");
        String authorName = call("GET", "/user", author, null).getJsonObject("user").getString("username");
        String reader = register("lreader");
        call("POST", "/profiles/" + authorName + "/follow", reader, null);
        // the follow counts for the feed once it reached post-service: its feed shows the author's article
        String first = publish(author, "Live feed");
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (!call("GET", "/articles/feed", reader, null).getJsonArray("articles").stream()
                .anyMatch(a -> first.equals(((JsonObject) a).getString("slug")))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the follow did not reach the feed within " + GIVE_UP);
            }
            pause();
        }
        SseClient stream = openStream("/api/live/feed", reader);
        out.printf(Locale.ROOT, "live delay: %d + %d publications to a follower's feed ...%n", Propagation.WARMUP, samples);
        double[][] measured = measureOn(stream, samples, "article", "/article/slug", n -> publish(author, "Live feed " + n));
        return new Propagation.Result("POST /api/articles (followed author)", "SSE GET /api/live/feed",
                measured[0], (int) measured[1][0]);
    }

    /** The delays in ms of {@code samples} writes after the warm-up, and {@code {missed}}. */
    private double[][] measureOn(SseClient stream, int samples, String type, String keyPointer, IntFunction<String> write) {
        List<Double> millis = new ArrayList<>();
        int missed = 0;
        try (SseClient events = stream) {
            for (int n = 1; n <= Propagation.WARMUP + samples; n++) {
                long start = System.nanoTime();
                String key = write.apply(n);
                long seen = -1;
                long giveUp = start + GIVE_UP.toNanos();
                while (seen < 0 && System.nanoTime() < giveUp) {
                    SseClient.Event event = events.next(Duration.ofNanos(Math.max(1, giveUp - System.nanoTime())));
                    if (event != null && type.equals(event.type()) && key.equals(keyOf(event.data(), keyPointer))) {
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
        return new double[][] {millis.stream().mapToDouble(Double::doubleValue).toArray(), {missed}};
    }

    private static String keyOf(String data, String pointer) {
        String[] path = pointer.substring(1).split("/");
        JsonObject object = new JsonObject(data).getJsonObject(path[0]);
        Object value = object == null ? null : object.getValue(path[1]);
        return value == null ? null : String.valueOf(value);
    }

    private String register(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        return call("POST", "/users", null, new JsonObject().put("user", new JsonObject()
                .put("username", name).put("email", name + "@bench.invalid").put("password", "live-delay-" + name)))
                .getJsonObject("user").getString("token");
    }

    private String publish(String token, String title) {
        return call("POST", "/articles", token, new JsonObject().put("article", new JsonObject()
                .put("title", title + " " + UUID.randomUUID().toString().substring(0, 8)).put("description", "live delay")
                .put("body", "Arrives live.").put("tagList", new JsonArray()))).getJsonObject("article").getString("slug");
    }

    /** Opens the stream through the gateway, waiting (bounded) for the service to know what it streams. */
    private SseClient openStream(String path, String token) {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (true) {
            SseClient attempt = SseClient.open(URI.create(gateway), path, Map.of("Authorization", "Token " + token));
            if (attempt.status() == 200) {
                return attempt;
            }
            attempt.close();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the live stream " + path + " answered " + attempt.status());
            }
            pause();
        }
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
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
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

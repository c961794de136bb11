package dev.conduit.bench;

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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Event propagation, end to end: from a write sent to the gateway until a read through the gateway
 * shows it answered by the read model of another service, fed by the event the write produced
 * (outbox relay, Kafka, consumer, MongoDB). One write at a time, paced, on an otherwise idle
 * platform; each read model is polled back to back by its own thread, so the figure includes the
 * write's own answer and at most one read's round trip of resolution.
 *
 * <ul>
 * <li>{@code PUT /api/user} with a new bio, until {@code GET /api/articles/{slug}} shows it as the
 * author's bio (post-service's authors read model, {@code conduit.users}) and until
 * {@code GET /api/articles/{slug}/comments} shows it on the author's comment (comment-service's
 * authors read model, the same event);</li>
 * <li>{@code DELETE /api/articles/{slug}}, until {@code GET /api/articles/{slug}/comments} answers
 * 404 (comment-service's articles read model, {@code conduit.posts}: until the event arrives it
 * still holds the article and lists its comments).</li>
 * </ul>
 */
final class Propagation {

    /** The goal for every path. */
    static final double TARGET_P99_MS = 100;
    /** Writes before the measured ones, not counted: the first of each path pays for class loading and JIT. */
    static final int WARMUP = 20;
    /** Pause between one write's visibility and the next write, so samples do not queue behind each other. */
    static final Duration PACE = Duration.ofMillis(100);
    private static final Duration GIVE_UP = Duration.ofSeconds(10);

    /** The figures of one path: propagation times in milliseconds, and the writes never seen within 10 s. */
    record Result(String write, String readModel, double[] millis, int missed) {

        Result {
            millis = millis.clone();
            Arrays.sort(millis);
        }

        int samples() {
            return millis.length;
        }

        double percentile(double p) {
            if (millis.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * millis.length);
            return millis[Math.max(0, Math.min(millis.length - 1, rank - 1))];
        }

        double max() {
            return millis.length == 0 ? Double.NaN : millis[millis.length - 1];
        }

        boolean met() {
            return missed == 0 && percentile(99) < TARGET_P99_MS;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService pollers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "bench-propagation-poll");
        t.setDaemon(true);
        return t;
    });
    private final String api;
    private final PrintStream out;

    Propagation(String gatewayUrl, PrintStream out) {
        this.api = gatewayUrl + "/api";
        this.out = out;
    }

    /** {@code samples} measured writes of each kind (after {@link #WARMUP} unmeasured ones). */
    List<Result> measure(Seeder.Seeded seeded, String runId, int samples) {
        try {
            List<Result> results = new ArrayList<>(bio(seeded, runId, samples));
            results.forEach(this::print);
            Result deletions = delete(seeded, runId, samples);
            print(deletions);
            results.add(deletions);
            return results;
        } finally {
            pollers.shutdownNow();
        }
    }

    private List<Result> bio(Seeder.Seeded seeded, String runId, int samples) {
        out.printf(Locale.ROOT, "propagation: %d + %d bio changes (PUT /api/user) ...%n", WARMUP, samples);
        String article = "/articles/" + seeded.slug();
        String comments = article + "/comments";
        boolean withComments = seeded.comments() > 0;
        List<Double> toPosts = new ArrayList<>();
        List<Double> toComments = new ArrayList<>();
        int[] missed = new int[2];
        for (int n = 1; n <= WARMUP + samples; n++) {
            String bio = "Propagation " + runId + " " + n;
            long start = System.nanoTime();
            Future<Long> posts = pollers.submit(() -> until(start, () -> bio.equals(get(article)
                    .map(a -> a.getJsonObject("article").getJsonObject("author").getString("bio")).orElse(null))));
            Future<Long> commentList = withComments ? pollers.submit(() -> until(start, () -> bio.equals(get(comments)
                    .filter(c -> !c.getJsonArray("comments").isEmpty())
                    .map(c -> c.getJsonArray("comments").getJsonObject(0).getJsonObject("author").getString("bio")).orElse(null))))
                    : null;
            int status = send("PUT", "/user", seeded.token(), new JsonObject().put("user", new JsonObject().put("bio", bio)));
            if (status != 200) {
                throw new IllegalStateException("PUT /api/user answered " + status);
            }
            boolean measured = n > WARMUP;
            record(posts, start, measured ? toPosts : null, missed, 0);
            if (commentList != null) {
                record(commentList, start, measured ? toComments : null, missed, 1);
            }
            pause(PACE);
        }
        List<Result> results = new ArrayList<>();
        results.add(new Result("PUT /api/user (bio)", "post-service authors: GET /api/articles/{slug} author.bio",
                unbox(toPosts), missed[0]));
        if (withComments) {
            results.add(new Result("PUT /api/user (bio)", "comment-service authors: GET /api/articles/{slug}/comments author.bio",
                    unbox(toComments), missed[1]));
        }
        return results;
    }

    private Result delete(Seeder.Seeded seeded, String runId, int samples) {
        out.printf(Locale.ROOT, "propagation: %d + %d article deletions (DELETE /api/articles/{slug}) ...%n", WARMUP, samples);
        List<Double> times = new ArrayList<>();
        int[] missed = new int[1];
        for (int n = 1; n <= WARMUP + samples; n++) {
            JsonObject article = new JsonObject().put("title", "Propagation " + runId + " " + n)
                    .put("description", "deleted by the propagation benchmark").put("body", "Soon gone.")
                    .put("tagList", new JsonArray());
            String slug = post("/articles", seeded.token(), new JsonObject().put("article", article))
                    .getJsonObject("article").getString("slug");
            String comments = "/articles/" + slug + "/comments";
            // comment-service knows the article (from its event, or by asking post-service) before it goes
            if (until(System.nanoTime(), () -> status(comments) == 200) < 0) {
                throw new IllegalStateException("comment-service never listed the comments of " + slug);
            }
            pause(PACE);
            long start = System.nanoTime();
            Future<Long> gone = pollers.submit(() -> until(start, () -> status(comments) == 404));
            int status = send("DELETE", "/articles/" + slug, seeded.token(), null);
            // 404: the gateway repeated a DELETE whose first answer was late, and the first had done it
            if (status / 100 != 2 && status != 404) {
                throw new IllegalStateException("DELETE /api/articles/" + slug + " answered " + status);
            }
            record(gone, start, n > WARMUP ? times : null, missed, 0);
            pause(PACE);
        }
        return new Result("DELETE /api/articles/{slug}", "comment-service articles: GET /api/articles/{slug}/comments 404",
                unbox(times), missed[0]);
    }

    private void print(Result r) {
        out.printf(Locale.ROOT, "         %s -> %s: p50 %s ms, p99 %s ms, max %s ms, %d not seen%n", r.write(), r.readModel(),
                Table.number(r.percentile(50), 1), Table.number(r.percentile(99), 1), Table.number(r.max(), 1), r.missed());
    }

    /** Polls {@code reflects} back to back; the time it first held, or -1 after {@link #GIVE_UP}. */
    private static long until(long start, BooleanSupplier reflects) {
        long deadline = start + GIVE_UP.toNanos();
        while (System.nanoTime() < deadline) {
            if (reflects.getAsBoolean()) {
                return System.nanoTime();
            }
        }
        return -1;
    }

    private static void record(Future<Long> seen, long start, List<Double> into, int[] missed, int index) {
        long at;
        try {
            at = seen.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a propagation poll failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        if (into == null) {
            return;
        }
        if (at < 0) {
            missed[index]++;
        } else {
            into.add((at - start) / 1e6);
        }
    }

    private Optional<JsonObject> get(String path) {
        try {
            HttpResponse<String> response = http.send(request("GET", path, null, null), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(new JsonObject(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private int status(String path) {
        return send("GET", path, null, null);
    }

    private int send(String method, String path, String token, JsonObject body) {
        try {
            return http.send(request(method, path, token, body), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private JsonObject post(String path, String token, JsonObject body) {
        try {
            HttpResponse<String> response = http.send(request("POST", path, token, body), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("POST /api" + path + " answered " + response.statusCode() + " " + response.body());
            }
            return new JsonObject(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("POST /api" + path + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private HttpRequest request(String method, String path, String token, JsonObject body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Token " + token);
        }
        return request.build();
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}

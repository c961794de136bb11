package dev.conduit.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The data set through the public API, as a client would make it: one user, N articles by
 * that user, a few comments on the first article. Everything goes through the gateway.
 */
final class Seeder {

    /** What the scenarios need: the author's token and the slug of the article with the comments. */
    record Seeded(String token, String slug, int articles, int comments, double seconds) {
    }

    /** Articles in flight at once while seeding: enough to be quick, few enough not to overload a laptop. */
    private static final int PARALLEL = 8;
    private static final int ATTEMPTS = 20;
    /** The largest page post-service serves. */
    private static final int PAGE = 100;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String api;
    private final PrintStream out;

    Seeder(String gatewayUrl, PrintStream out) {
        this.api = gatewayUrl + "/api";
        this.out = out;
    }

    Seeded seed(String runId, int articles, int comments) {
        long begin = System.nanoTime();
        String username = "bench" + runId;
        JsonObject credentials = new JsonObject().put("email", username + "@example.com").put("password", "benchmark-password");
        JsonObject user = call("POST", "/users", null, new JsonObject().put("user", credentials.copy().put("username", username)),
                () -> tryCall("POST", "/users/login", null, new JsonObject().put("user", credentials)))
                .getJsonObject("user");
        String token = user.getString("token");

        String first = createArticle(token, username, runId, 1);
        createRest(token, username, runId, articles);
        String commentsPath = "/articles/" + first + "/comments";
        for (int i = 1; i <= comments; i++) {
            // comment-service learns of the article from post-service's event; until then it may ask post-service or answer 404
            String text = "Comment " + i + " of the benchmark";
            call("POST", commentsPath, token, new JsonObject().put("comment", new JsonObject().put("body", text)),
                    () -> tryCall("GET", commentsPath, null, null).flatMap(list -> list.getJsonArray("comments").stream()
                            .map(JsonObject.class::cast).filter(c -> text.equals(c.getString("body"))).findFirst()
                            .map(c -> new JsonObject().put("comment", c))));
        }

        int listed = call("GET", "/articles?limit=1", null, null, Optional::empty).getInteger("articlesCount");
        int commented = call("GET", commentsPath, null, null, Optional::empty).getJsonArray("comments").size();
        if (listed != articles || commented != comments) {
            throw new IllegalStateException("seeded " + articles + " articles and " + comments + " comments, but the API lists "
                    + listed + " and " + commented + " (was the data dir fresh?)");
        }
        return new Seeded(token, first, listed, commented, (System.nanoTime() - begin) / 1e9);
    }

    private void createRest(String token, String username, String runId, int articles) {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        AtomicInteger done = new AtomicInteger(1);
        int step = Math.max(1000, articles / 10);
        try {
            List<Future<?>> pending = new ArrayList<>();
            for (int i = 2; i <= articles; i++) {
                int n = i;
                pending.add(pool.submit(() -> {
                    createArticle(token, username, runId, n);
                    int count = done.incrementAndGet();
                    if (count % step == 0) {
                        out.printf("  %d of %d articles%n", count, articles);
                    }
                }));
            }
            for (Future<?> f : pending) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding");
        } finally {
            pool.shutdownNow();
        }
    }

    private String createArticle(String token, String username, String runId, int n) {
        String title = String.format(Locale.ROOT, "Seeded article %s %05d", runId, n);
        JsonObject article = new JsonObject()
                .put("title", title)
                .put("description", "Article " + n + " of the benchmark's data set")
                .put("body", ("Seeded article " + n + " says something worth reading. ").repeat(8).strip())
                .put("tagList", new JsonArray().add("bench").add("tag" + (n % 10)));
        Instant since = Instant.now().minusSeconds(1);
        return call("POST", "/articles", token, new JsonObject().put("article", article), () -> written(username, title, since))
                .getJsonObject("article").getString("slug");
    }

    /** The author's article titled {@code title} if it was written after {@code since}: newest first, back to then. */
    private Optional<JsonObject> written(String username, String title, Instant since) {
        String byAuthor = "/articles?author=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&limit=" + PAGE + "&offset=";
        for (int offset = 0; ; offset += PAGE) {
            Optional<JsonArray> page = tryCall("GET", byAuthor + offset, null, null).map(list -> list.getJsonArray("articles"));
            if (page.isEmpty()) {
                return Optional.empty();
            }
            for (JsonObject a : page.get().stream().map(JsonObject.class::cast).toList()) {
                if (title.equals(a.getString("title"))) {
                    return Optional.of(new JsonObject().put("article", a));
                }
                if (Instant.parse(a.getString("createdAt")).isBefore(since)) {
                    return Optional.empty();
                }
            }
            if (page.get().size() < PAGE) {
                return Optional.empty();
            }
        }
    }

    /**
     * One API call, retried on 5xx, 404 and connection failures (a part still catching up); any other
     * answer that is not 2xx ends the run: the data set would not be the issue's. Before repeating a
     * write whose outcome is unknown (no answer, or the gateway's 502/504 while the service may have
     * done it) {@code alreadyDone} looks for its result, so a retry never writes twice.
     */
    private JsonObject call(String method, String path, String token, JsonObject body, Supplier<Optional<JsonObject>> alreadyDone) {
        String last = "";
        boolean unknown = false;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (unknown) {
                Optional<JsonObject> done = alreadyDone.get();
                if (done.isPresent()) {
                    return done.get();
                }
            }
            try {
                HttpResponse<String> response = http.send(request(method, path, token, body), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return new JsonObject(response.body());
                }
                last = status + " " + response.body();
                if (status < 500 && status != 404) {
                    break;
                }
                unknown = status == 502 || status == 504;
            } catch (IOException e) {
                last = e.toString();
                unknown = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while seeding");
            }
            // a write that timed out may still be under way in the service: give it time before looking for it
            pause(unknown ? 2000 : Math.min(2000, 100L * attempt));
        }
        throw new IllegalStateException("seeding failed: " + method + " /api" + path + " answered " + last);
    }

    /** One attempt whose failure is no error: the body of a 2xx answer, else empty. */
    private Optional<JsonObject> tryCall(String method, String path, String token, JsonObject body) {
        try {
            HttpResponse<String> response = http.send(request(method, path, token, body), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() / 100 == 2 ? Optional.of(new JsonObject(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding");
        }
    }

    private HttpRequest request(String method, String path, String token, JsonObject body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Token " + token);
        }
        return request.build();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding");
        }
    }
}

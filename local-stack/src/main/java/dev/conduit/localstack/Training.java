package dev.conduit.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training run of {@code ./conduit build}: every RealWorld operation through the gateway once, the
 * error answers, each kind of event consumed by the read models that follow it, trending, health and
 * metrics. Its only purpose is to make the services load the classes a real platform loads, so that
 * the class-data archive each service writes at exit (see {@link Platform#train}) holds them; what it
 * checks is only that the platform answered as a working one does, so that an archive is never kept
 * from a run that did not work.
 */
public final class Training {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern SLUG = Pattern.compile("\"slug\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern COMMENT_ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Duration PROPAGATION = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String api;
    private final Platform.Settings settings;
    private int requests;

    public Training(Platform.Settings settings) {
        this.settings = settings;
        this.api = settings.gatewayUrl() + "/api";
    }

    /** Runs the workload; a failed step is a {@link LaunchException}. Returns the number of requests sent. */
    public int run() {
        String run = Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
        String alice = "alice" + run;
        String bob = "bob" + run;
        String aliceToken = token(send("POST", "/users", null, user(alice, true), 200, 201));
        String bobToken = token(send("POST", "/users", null, user(bob, true), 200, 201));
        send("POST", "/users", null, user(alice, true), 409, 422);
        send("POST", "/users/login", null, "{\"user\":{\"email\":\"" + alice + "@example.com\",\"password\":\"wrong-password\"}}", 401, 403, 422);
        aliceToken = token(send("POST", "/users/login", null, user(alice, false), 200));
        send("GET", "/user", aliceToken, null, 200);
        send("GET", "/user", null, null, 401);
        send("PUT", "/user", aliceToken, "{\"user\":{\"bio\":\"trained " + run + "\",\"image\":\"https://example.com/a.png\"}}", 200);

        send("GET", "/profiles/" + bob, aliceToken, null, 200);
        send("GET", "/profiles/" + bob, null, null, 200);
        send("POST", "/profiles/" + bob + "/follow", aliceToken, null, 200);
        send("DELETE", "/profiles/" + bob + "/follow", aliceToken, null, 200);
        send("POST", "/profiles/" + bob + "/follow", aliceToken, null, 200);

        String bobs = slug(send("POST", "/articles", bobToken, article("Training " + run, "training", "conduit"), 200, 201));
        String alices = slug(send("POST", "/articles", aliceToken, article("Second " + run, "conduit"), 200, 201));
        send("POST", "/articles", aliceToken, "{\"article\":{\"title\":\"\",\"description\":\"d\",\"body\":\"b\"}}", 422);
        send("POST", "/articles", null, article("Anonymous " + run), 401);
        send("PUT", "/articles/" + alices, aliceToken, "{\"article\":{\"body\":\"edited\"}}", 200);
        send("PUT", "/articles/" + bobs, aliceToken, "{\"article\":{\"body\":\"not mine\"}}", 403);
        send("GET", "/articles/" + bobs, null, null, 200);
        send("GET", "/articles/" + bobs, aliceToken, null, 200);
        send("GET", "/articles/no-such-article-" + run, null, null, 404);
        send("GET", "/articles?limit=20", null, null, 200);
        send("GET", "/articles?limit=5&offset=1", aliceToken, null, 200);
        send("GET", "/articles?tag=training", null, null, 200);
        send("GET", "/articles?author=" + bob, null, null, 200);
        send("GET", "/articles/feed", aliceToken, null, 200);
        send("GET", "/tags", null, null, 200);
        send("POST", "/articles/" + bobs + "/favorite", aliceToken, null, 200);
        send("DELETE", "/articles/" + bobs + "/favorite", aliceToken, null, 200);
        send("POST", "/articles/" + bobs + "/favorite", aliceToken, null, 200);
        send("GET", "/articles?favorited=" + alice, null, null, 200);

        // comment-service learns of an article from its event: comments wait for it
        await("comments on a new article", "/articles/" + bobs + "/comments", r -> r.statusCode() == 200);
        String comment = send("POST", "/articles/" + bobs + "/comments", aliceToken, "{\"comment\":{\"body\":\"trained\"}}", 200, 201);
        send("POST", "/articles/" + bobs + "/comments", aliceToken, "{\"comment\":{}}", 422);
        send("GET", "/articles/" + bobs + "/comments", aliceToken, null, 200);
        send("GET", "/articles/" + bobs + "/comments", null, null, 200);
        send("DELETE", "/articles/" + bobs + "/comments/" + commentId(comment), bobToken, null, 403);
        send("DELETE", "/articles/" + bobs + "/comments/" + commentId(comment), aliceToken, null, 200, 204);

        // the profile change reaches post-service's and comment-service's author read models
        String bio = "trained " + run;
        await("the new bio in an article", "/articles/" + alices, r -> r.body().contains(bio));
        send("POST", "/articles/" + alices + "/comments", aliceToken, "{\"comment\":{\"body\":\"second\"}}", 200, 201);
        await("the new bio in a comment", "/articles/" + alices + "/comments", r -> r.body().contains(bio));

        await("trending articles", "/trending/articles", r -> r.statusCode() == 200);
        send("GET", "/trending/tags", null, null, 200);

        send("DELETE", "/articles/" + alices, aliceToken, null, 200, 204);
        await("comments of a deleted article", "/articles/" + alices + "/comments", r -> r.statusCode() == 404);

        get(settings.gatewayManagementUrl() + "/q/health/group/platform", 200);
        get(settings.gatewayManagementUrl() + "/q/metrics", 200);
        for (int port : new int[] {settings.userManagementPort(), settings.postManagementPort(),
                settings.commentManagementPort(), settings.trendingManagementPort()}) {
            get("http://127.0.0.1:" + port + "/q/metrics", 200);
            get("http://127.0.0.1:" + port + "/q/health", 200);
        }
        get(settings.gatewayUrl() + "/q/openapi", 200);
        return requests;
    }

    private static String user(String name, boolean register) {
        return "{\"user\":{" + (register ? "\"username\":\"" + name + "\"," : "") + "\"email\":\"" + name
                + "@example.com\",\"password\":\"training-password\"}}";
    }

    private static String article(String title, String... tags) {
        StringBuilder list = new StringBuilder();
        for (String tag : tags) {
            list.append(list.length() == 0 ? "" : ",").append('"').append(tag).append('"');
        }
        return "{\"article\":{\"title\":\"" + title + "\",\"description\":\"what it is about\",\"body\":\"the body\","
                + "\"tagList\":[" + list + "]}}";
    }

    private static String token(String body) {
        return match(TOKEN, body, "token");
    }

    private static String slug(String body) {
        return match(SLUG, body, "slug");
    }

    private static String commentId(String body) {
        return match(COMMENT_ID, body, "comment id");
    }

    private static String match(Pattern pattern, String body, String what) {
        Matcher m = pattern.matcher(body);
        if (!m.find()) {
            throw new LaunchException("training: no " + what + " in " + abbreviate(body));
        }
        return m.group(1);
    }

    /** A request to the API, with the caller's token when there is one. */
    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10));
        return token == null ? request : request.header("Authorization", "Token " + token);
    }

    private String send(String method, String path, String token, String json, int... expected) {
        HttpRequest.Builder request = request(path, token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = exchange(request.build());
        for (int status : expected) {
            if (response.statusCode() == status) {
                return response.body();
            }
        }
        throw new LaunchException(String.format(Locale.ROOT, "training: %s %s answered %d: %s", method, path,
                response.statusCode(), abbreviate(response.body())));
    }

    private void get(String url, int expected) {
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build());
        if (response.statusCode() != expected) {
            throw new LaunchException("training: GET " + url + " answered " + response.statusCode());
        }
    }

    /** Polls (100 ms apart) until {@code done} holds: what an event changes shows only once it was consumed. */
    private void await(String what, String path, Predicate<HttpResponse<String>> done) {
        long deadline = System.nanoTime() + PROPAGATION.toNanos();
        while (true) {
            HttpResponse<String> response = exchange(request(path, null).build());
            if (done.test(response)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new LaunchException("training: " + what + " not seen within " + PROPAGATION.toSeconds() + " s (GET "
                        + path + " answered " + response.statusCode() + ")");
            }
            ChildProcess.sleep(100);
        }
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        requests++;
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LaunchException("training: " + request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("training interrupted");
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + " ..." : body;
    }
}

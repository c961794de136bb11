package dev.conduit.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.localstack.Platform;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static dev.conduit.systemtests.GatewayReads.commentIds;
import static dev.conduit.systemtests.GatewayReads.gateway;
import static dev.conduit.systemtests.GatewayReads.getJson;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's test: under a write load through the gateway (articles, comments, favorites,
 * renames), each of the six processes is killed with SIGKILL in turn. The launcher must bring it
 * back; nothing may answer a 5xx other than 502/503/504 meanwhile; afterwards every acknowledged
 * write is there and the read models converge (renames reach articles and comments, a deleted
 * article's comments go). Prints the figures per process.
 */
class FaultInjectionIT {

    private static final List<String> PARTS = List.of("mongo", "kafka", "user-service", "post-service", "comment-service", "gateway");
    private static final Duration BACK_WITHIN = Duration.ofSeconds(90);
    /** Writes a second the load aims at: enough to be under load, little enough for two cores. */
    private static final int WRITES_PER_SECOND = 20;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyProcessKilledUnderLoadComesBackAndNoAcknowledgedWriteIsLost() throws Exception {
        Platform platform = SharedPlatform.get();
        JourneyIT.User author = JourneyIT.register("fa");
        JourneyIT.User reader = JourneyIT.register("fr");
        List<String> hot = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            hot.add(author.as().body(Map.of("article", Map.of("title", "Hot " + i + " " + author.username(), "description", "d",
                    "body", "b"))).post("/articles").then().statusCode(201).extract().path("article.slug"));
        }
        Load load = new Load(author.token(), reader.token(), reader.username(), hot);
        Thread[] workers = {new Thread(load::run, "fault-load-1"), new Thread(load::run, "fault-load-2")};
        for (Thread w : workers) {
            w.start();
        }
        Map<String, double[]> figures = new LinkedHashMap<>();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.successes.get() >= 20);
            for (String part : PARTS) {
                figures.put(part, kill(platform, part, load));
            }
        } finally {
            load.stop.set(true);
            for (Thread w : workers) {
                w.join(Duration.ofSeconds(30).toMillis());
            }
        }

        print(figures, load);
        assertTrue(load.violations.isEmpty(), "answers other than 2xx/502/503/504: " + load.violations);
        for (String part : PARTS) {
            assertTrue(platform.isRunning(part), part + " is not running");
        }

        // every acknowledged write is there, read straight from the owners
        Set<String> articles = slugs("author=" + author.username(), null);
        Set<String> lostArticles = new HashSet<>(load.articles);
        lostArticles.removeAll(articles);
        assertEquals(Set.of(), lostArticles, "acknowledged articles missing");
        Map<String, Set<Long>> comments = new LinkedHashMap<>();
        for (String slug : hot) {
            comments.put(slug, commentIds(slug));
        }
        List<String> lostComments = load.comments.stream()
                .filter(c -> !comments.get(c.slug()).contains(c.id())).map(Object::toString).toList();
        assertEquals(List.of(), lostComments, "acknowledged comments missing");
        // a rename cut off by a kill may have been applied without its answer: the owner knows the name
        String readerName = getJson("/api/user", reader.token()).at("/user/username").asText();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Set<String> lostFavorites = new HashSet<>(load.favorites);
            lostFavorites.removeAll(slugs("favorited=" + readerName, reader.token()));
            assertEquals(Set.of(), lostFavorites, "acknowledged favorites missing (or the favorited filter did not converge)");
        });

        // the read models converge: the reader's last rename reached every comment it wrote
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String slug : hot) {
                JsonNode list = getJson("/api/articles/" + slug + "/comments", null);
                for (JsonNode c : list.get("comments")) {
                    if (load.commentIds.contains(c.get("id").asLong())) {
                        assertEquals(readerName, c.at("/author/username").asText(), "comment " + c.get("id") + " on " + slug);
                    }
                }
            }
        });
        // and the author's rename reaches the articles (post-service) and a deleted article's comments go
        String renamed = "r" + author.username();
        author.as().body(Map.of("user", Map.of("username", renamed))).put("/user").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(renamed, getJson("/api/articles/" + hot.get(0), null).at("/article/author/username").asText()));
        author.as().delete("/articles/" + hot.get(1)).then().statusCode(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> status("/api/articles/" + hot.get(1) + "/comments") == 404);
    }

    /** Kills one part and measures: seconds until it is back (running and ready) and until writes succeed again. */
    private double[] kill(Platform platform, String part, Load load) {
        ProcessHandle victim = platform.process(part).orElseThrow(() -> new AssertionError(part + " is not running"));
        long acknowledgedBefore = load.successes.get();
        long start = System.nanoTime();
        assertTrue(victim.destroyForcibly(), "SIGKILL to " + part);
        await().atMost(Duration.ofSeconds(10)).until(() -> !victim.isAlive());
        long killedAt = System.nanoTime();
        load.markKill(killedAt);
        await().atMost(BACK_WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> platform.isRunning(part)
                && platform.process(part).map(p -> p.pid() != victim.pid()).orElse(false));
        double back = (System.nanoTime() - start) / 1e9;
        await().atMost(BACK_WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> load.allKindsSucceededSince(killedAt));
        double writing = (load.lastKindRecoveredAt(killedAt) - start) / 1e9;
        // the platform view is whole again before the next fault
        await().atMost(BACK_WITHIN).until(() -> status(managementUrl(platform) + "/q/health/group/platform") == 200);
        return new double[] {back, writing, load.successes.get() - acknowledgedBefore, platform.restarts(part)};
    }

    private static String managementUrl(Platform platform) {
        return "http://127.0.0.1:" + platform.settings().gatewayManagementPort();
    }

    private void print(Map<String, double[]> figures, Load load) {
        System.out.println();
        System.out.println("fault injection: SIGKILL of each process under a write load through the gateway");
        System.out.printf(Locale.ROOT, "  %-16s %10s %16s %14s%n", "process", "back in", "writes again in", "writes during");
        figures.forEach((part, f) -> System.out.printf(Locale.ROOT, "  %-16s %8.1f s %14.1f s %14d%n", part, f[0], f[1], (long) f[2]));
        System.out.printf(Locale.ROOT, "  writes acknowledged %d (articles %d, comments %d, favorites %d, renames %d); "
                        + "refused while a part was down (502/503/504 or no connection) %d; other answers %d%n",
                load.successes.get(), load.articles.size(), load.comments.size(), load.favorites.size(), load.renames.get(),
                load.unavailable.get(), load.violations.size());
        System.out.println();
    }

    private Set<String> slugs(String filter, String token) throws Exception {
        Set<String> found = new HashSet<>();
        for (int offset = 0; ; offset += 100) {
            JsonNode page = getJson("/api/articles?limit=100&offset=" + offset + "&" + filter, token);
            page.get("articles").forEach(a -> found.add(a.get("slug").asText()));
            if (page.get("articles").size() < 100) {
                return found;
            }
        }
    }

    private int status(String pathOrUrl) {
        try {
            URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : gateway() + pathOrUrl);
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    record Comment(String slug, long id) {
    }

    /** The writers: the author publishes, the reader comments, favorites and now and then renames itself. */
    private final class Load {
        final String authorToken;
        final String readerToken;
        final AtomicReference<String> readerName;
        final List<String> hot;
        final AtomicBoolean stop = new AtomicBoolean();
        final Set<String> articles = ConcurrentHashMap.newKeySet();
        final Set<String> favorites = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<Comment> comments = new ConcurrentLinkedQueue<>();
        final Set<Long> commentIds = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        final AtomicLong successes = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
        final AtomicInteger renames = new AtomicInteger();
        final AtomicInteger sequence = new AtomicInteger();
        volatile long killedAt;
        final Map<String, Long> firstSuccessAfterKill = new ConcurrentHashMap<>();

        Load(String authorToken, String readerToken, String readerName, List<String> hot) {
            this.authorToken = authorToken;
            this.readerToken = readerToken;
            this.readerName = new AtomicReference<>(readerName);
            this.hot = hot;
        }

        void markKill(long at) {
            firstSuccessAfterKill.clear();
            killedAt = at;
        }

        boolean allKindsSucceededSince(long at) {
            return List.of("article", "comment", "favorite").stream().allMatch(k -> firstSuccessAfterKill.getOrDefault(k, 0L) > at);
        }

        long lastKindRecoveredAt(long at) {
            return List.of("article", "comment", "favorite").stream().mapToLong(k -> firstSuccessAfterKill.getOrDefault(k, at))
                    .max().orElse(at);
        }

        void run() {
            long pause = Duration.ofSeconds(1).toNanos() * 2 / WRITES_PER_SECOND;
            while (!stop.get()) {
                int n = sequence.incrementAndGet();
                try {
                    switch (n % 10) {
                        case 0, 3, 6 -> article(n);
                        case 1, 4, 7 -> comment(n);
                        case 2, 5, 8 -> favorite();
                        default -> rename(n);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                LockSupport.parkNanos(pause);
            }
        }

        private void article(int n) throws InterruptedException {
            String title = "Load " + n + " " + ThreadLocalRandom.current().nextInt(1_000_000);
            send("POST", "/api/articles", authorToken, "{\"article\":{\"title\":\"" + title + "\",\"description\":\"d\",\"body\":\"b\"}}",
                    201, "article", body -> articles.add(body.at("/article/slug").asText()));
        }

        private void comment(int n) throws InterruptedException {
            String slug = hot.get(n % hot.size());
            send("POST", "/api/articles/" + slug + "/comments", readerToken, "{\"comment\":{\"body\":\"c" + n + "\"}}",
                    200, "comment", body -> {
                        long id = body.at("/comment/id").asLong();
                        comments.add(new Comment(slug, id));
                        commentIds.add(id);
                    });
        }

        private void favorite() throws InterruptedException {
            List<String> candidates = articles.stream().filter(s -> !favorites.contains(s)).limit(1).toList();
            String slug = candidates.isEmpty() ? hot.get(0) : candidates.get(0);
            send("POST", "/api/articles/" + slug + "/favorite", readerToken, null, 200, "favorite", body -> favorites.add(slug));
        }

        private void rename(int n) throws InterruptedException {
            String name = "fr" + n + "x" + ThreadLocalRandom.current().nextInt(1000);
            // renames are rare and serial: the reader's name is what the last acknowledged one set
            synchronized (readerName) {
                send("PUT", "/api/user", readerToken, "{\"user\":{\"username\":\"" + name + "\"}}", 200, "rename", body -> {
                    readerName.set(name);
                    renames.incrementAndGet();
                });
            }
        }

        private void send(String method, String path, String token, String body, int expected, String kind,
                          java.util.function.Consumer<JsonNode> onSuccess) throws InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway() + path)).timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Token " + token).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException gatewayAway) {
                unavailable.incrementAndGet();
                return;
            }
            int status = response.statusCode();
            if (status == expected) {
                try {
                    onSuccess.accept(json.readTree(response.body()));
                } catch (IOException e) {
                    violations.add(method + " " + path + " " + status + " unreadable body " + response.body());
                    return;
                }
                successes.incrementAndGet();
                long now = System.nanoTime();
                firstSuccessAfterKill.putIfAbsent(kind, now);
            } else if (status == 502 || status == 503 || status == 504) {
                unavailable.incrementAndGet();
            } else {
                violations.add(method + " " + path + " " + status + " " + response.body());
            }
        }
    }
}

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trending through the gateway, and trending-service killed with SIGKILL while the platform keeps
 * writing: when the launcher has brought it back, every publication, favorite and comment made
 * before, during and after its absence counts exactly once (Kafka Streams' exactly_once_v2 and the
 * restore of its stores from their changelogs), unfavorites and deleted comments are taken back.
 *
 * <p>Scores are not in the public answers (they have the shapes of {@code /api/articles} and
 * {@code /api/tags}), so the test gives every article a tag of its own and reads the tags' scores from
 * trending-service's own port ({@code /internal/trending/tags}, what its instances ask each other;
 * the gateway does not route it). The weights are not assumed: three calibration articles (published
 * only; plus one favorite; plus one comment) measure them, and every other score is then predicted
 * exactly from the writes the platform acknowledged (a comment from what the article lists).
 */
class TrendingIT {

    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final Duration BACK_WITHIN = Duration.ofSeconds(120);
    private static final double EPSILON = 1e-6;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String run = UUID.randomUUID().toString().substring(0, 6);

    @Test
    void trendingCountsEveryEventExactlyOnceAcrossAKillOfTrendingService() throws Exception {
        Platform platform = SharedPlatform.get();
        JourneyIT.User author = JourneyIT.register("ta");
        List<JourneyIT.User> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            readers.add(JourneyIT.register("tr" + i));
        }

        // calibration: the weights of a publication, a favorite and a comment
        Article published = publish(author, "p");
        Article favorited = publish(author, "f");
        Article commented = publish(author, "c");
        favorite(readers.get(0), favorited);
        comment(readers.get(0), commented);
        long calibrationStart = System.nanoTime();
        Map<String, Double> anyScore = new LinkedHashMap<>();
        for (Article x : List.of(published, favorited, commented)) {
            anyScore.put(x.tag(), null);
        }
        Map<String, Double> calibration = awaitScores(anyScore);
        double p = calibration.get(published.tag());
        double f = calibration.get(favorited.tag()) - p;
        double c = calibration.get(commented.tag()) - p;
        double firstSeen = (System.nanoTime() - calibrationStart) / 1e9;
        assertTrue(p > 0 && f > 0 && c > 0, "publication, favorite and comment all count: " + calibration);

        // before the kill: three articles with favorites, comments, an unfavorite and a deleted comment
        Article a = publish(author, "a");
        Article b = publish(author, "b");
        Article d = publish(author, "d");
        for (int i = 0; i < 3; i++) {
            favorite(readers.get(i), a);
        }
        comment(readers.get(0), a);
        comment(readers.get(1), a);
        favorite(readers.get(0), b);
        favorite(readers.get(1), b);
        unfavorite(readers.get(1), b);
        comment(readers.get(2), b);
        long deleted = comment(readers.get(3), d);
        readers.get(3).as().delete("/articles/" + d.slug() + "/comments/" + deleted).then().statusCode(204);
        Map<Article, double[]> expected = new LinkedHashMap<>();
        expected.put(a, new double[] {3, 2});
        expected.put(b, new double[] {1, 1});
        expected.put(d, new double[] {0, 0});
        Map<String, Double> beforeKill = awaitScores(predicted(expected, p, f, c));
        assertTrendingOrder(byScore(expected.keySet(), beforeKill), beforeKill);

        // a steady writer of comments on one article from before the kill until after trending is back
        Article steady = publish(author, "s");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acknowledged = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (!stop.get()) {
                try {
                    comment(readers.get(0), steady);
                    acknowledged.incrementAndGet();
                } catch (AssertionError | RuntimeException e) {
                    // counted from what the article lists at the end
                }
                // about ten comments a second: a steady stream, not a load test on two cores
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }, "trending-writer");
        writer.start();
        double back;
        double caughtUp;
        int writtenWhileDown;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.get() >= 5);
            ProcessHandle victim = platform.process("trending-service").orElseThrow(() -> new AssertionError("trending-service is not running"));
            long killedAt = System.nanoTime();
            assertTrue(victim.destroyForcibly(), "SIGKILL to trending-service");
            await().atMost(Duration.ofSeconds(10)).until(() -> !victim.isAlive());
            int before = acknowledged.get();

            // while it is down (or starting): the order turns around, a new article arrives
            Article e = publish(author, "e");
            for (int i = 0; i < 4; i++) {
                favorite(readers.get(i), d);
            }
            comment(readers.get(0), d);
            comment(readers.get(1), d);
            comment(readers.get(2), d);
            favorite(readers.get(1), b);
            favorite(readers.get(3), e);
            expected.put(b, new double[] {2, 1});
            expected.put(d, new double[] {4, 3});
            expected.put(e, new double[] {1, 0});
            writtenWhileDown = acknowledged.get() - before;

            await().atMost(BACK_WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> platform.isRunning("trending-service")
                    && platform.process("trending-service").map(h -> h.pid() != victim.pid()).orElse(false));
            back = (System.nanoTime() - killedAt) / 1e9;
            awaitScores(predicted(expected, p, f, c));
            caughtUp = (System.nanoTime() - killedAt) / 1e9;
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.get() >= before + writtenWhileDown + 5);
        } finally {
            stop.set(true);
            writer.join(Duration.ofSeconds(30).toMillis());
        }

        // after: one more of each, and the steady article's every comment exactly once
        comment(readers.get(3), a);
        unfavorite(readers.get(0), a);
        expected.put(a, new double[] {2, 3});
        int steadyComments = comments(steady);
        assertTrue(steadyComments >= acknowledged.get(), "acknowledged comments missing: " + steadyComments + " < " + acknowledged.get());
        expected.put(steady, new double[] {0, steadyComments});
        Map<String, Double> last = awaitScores(predicted(expected, p, f, c));
        assertTrendingOrder(byScore(expected.keySet(), last), last);
        assertTrue(platform.restarts("trending-service") >= 1, "the launcher restarted trending-service");

        System.out.println();
        System.out.println("trending: SIGKILL of trending-service while the platform kept writing");
        System.out.printf(Locale.ROOT, "  weights measured: publication %.1f, favorite %.1f, comment %.1f; first scores seen %.1f s after "
                + "the writes%n", p, f, c, firstSeen);
        System.out.printf(Locale.ROOT, "  back (ready) %.1f s after the kill; every score exact %.1f s after the kill%n", back, caughtUp);
        System.out.printf(Locale.ROOT, "  comments acknowledged on the steady article %d (%d while it was down), listed %d, counted %d%n",
                acknowledged.get(), writtenWhileDown, steadyComments, Math.round((last.get(steady.tag()) - p) / c));
        System.out.println();
    }

    /** An article of this run with a tag of its own (its score is the tag's). */
    record Article(String slug, String tag) {
        double score(Map<String, Double> scores) {
            return scores.getOrDefault(tag, 0.0);
        }
    }

    private Article publish(JourneyIT.User author, String name) {
        String tag = "trend" + run + name;
        String slug = author.as().body(Map.of("article", Map.of("title", "Trending " + name + " " + run, "description", "d",
                        "body", "b", "tagList", List.of(tag))))
                .post("/articles").then().statusCode(201).extract().path("article.slug");
        return new Article(slug, tag);
    }

    private static void favorite(JourneyIT.User reader, Article article) {
        reader.as().post("/articles/" + article.slug() + "/favorite").then().statusCode(200);
    }

    private static void unfavorite(JourneyIT.User reader, Article article) {
        reader.as().delete("/articles/" + article.slug() + "/favorite").then().statusCode(200);
    }

    private static long comment(JourneyIT.User reader, Article article) {
        return ((Number) reader.as().body(Map.of("comment", Map.of("body", "hot")))
                .post("/articles/" + article.slug() + "/comments").then().statusCode(200).extract().path("comment.id")).longValue();
    }

    private int comments(Article article) throws Exception {
        return getJson(gateway() + "/api/articles/" + article.slug() + "/comments").get("comments").size();
    }

    /** The articles from the highest score down; an article that ties another is left out (either order is right). */
    private static List<Article> byScore(java.util.Collection<Article> articles, Map<String, Double> scores) {
        return articles.stream()
                .filter(x -> articles.stream().noneMatch(y -> y != x && Math.abs(y.score(scores) - x.score(scores)) < EPSILON))
                .sorted(java.util.Comparator.comparingDouble((Article x) -> x.score(scores)).reversed())
                .toList();
    }

    /** Tag -> score from favorites and comments counted (publication included). */
    private static Map<String, Double> predicted(Map<Article, double[]> counts, double p, double f, double c) {
        Map<String, Double> scores = new LinkedHashMap<>();
        counts.forEach((article, n) -> scores.put(article.tag(), p + n[0] * f + n[1] * c));
        return scores;
    }

    /**
     * Polls trending-service until each tag has its expected score (a null expectation: any score),
     * failing with what it has if a score is not reached; an overshoot (counted twice) never converges.
     */
    private Map<String, Double> awaitScores(Map<String, Double> expected) {
        Map<String, Double> seen = new LinkedHashMap<>();
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Map<String, Double> scores = tagScores(expected.keySet());
            seen.clear();
            expected.keySet().forEach(t -> seen.put(t, scores.get(t)));
            for (Map.Entry<String, Double> e : expected.entrySet()) {
                Double actual = scores.get(e.getKey());
                assertTrue(actual != null && (e.getValue() == null || Math.abs(actual - e.getValue()) < EPSILON),
                        "trending scores " + seen + ", expected " + expected);
            }
        });
        return seen;
    }

    /**
     * These tags' scores in the current window, from trending-service's own port (all instances: there
     * is one), whatever their rank: other test classes' tags on the shared platform may fill the top.
     */
    private Map<String, Double> tagScores(java.util.Collection<String> tags) throws Exception {
        int port = SharedPlatform.get().settings().trendingPort();
        Map<String, Double> scores = new LinkedHashMap<>();
        String keys = String.join("&", tags.stream().map(t -> "key=" + java.net.URLEncoder.encode(t, java.nio.charset.StandardCharsets.UTF_8)).toList());
        for (JsonNode entry : getJson("http://127.0.0.1:" + port + "/internal/trending/tags?" + keys)) {
            scores.put(entry.get("key").asText(), entry.get("score").asDouble());
        }
        return scores;
    }

    /**
     * The public routes through the gateway rank this run's articles and tags in {@code order}
     * (other tests' entries may sit between them). The routes show the top 100 only, and other test
     * classes on the shared platform may fill it: an entry of ours must be shown when its score is
     * above the 100th score of its kind (trending-service's own port tells that score), and those of
     * ours that are shown must be in order.
     */
    private void assertTrendingOrder(List<Article> order, Map<String, Double> scores) {
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            double articleFloor = hundredthScore("articles");
            double tagFloor = hundredthScore("tags");
            List<String> slugs = new ArrayList<>();
            getJson(gateway() + "/api/trending/articles?limit=100").get("articles").forEach(x -> slugs.add(x.get("slug").asText()));
            List<String> tags = new ArrayList<>();
            getJson(gateway() + "/api/trending/tags?limit=100").get("tags").forEach(x -> tags.add(x.asText()));
            List<String> shownSlugs = slugs.stream().filter(s -> order.stream().anyMatch(x -> x.slug().equals(s))).toList();
            List<String> shownTags = tags.stream().filter(t -> order.stream().anyMatch(x -> x.tag().equals(t))).toList();
            assertEquals(order.stream().map(Article::slug).filter(shownSlugs::contains).toList(), shownSlugs, "/api/trending/articles");
            assertEquals(order.stream().map(Article::tag).filter(shownTags::contains).toList(), shownTags, "/api/trending/tags");
            for (Article x : order) {
                if (x.score(scores) > articleFloor + EPSILON) {
                    assertTrue(shownSlugs.contains(x.slug()), x.slug() + " outranks the 100th article but is not shown: " + slugs);
                }
                if (x.score(scores) > tagFloor + EPSILON) {
                    assertTrue(shownTags.contains(x.tag()), x.tag() + " outranks the 100th tag but is not shown: " + tags);
                }
            }
        });
    }

    /** The 100th highest score of a kind in the current window (0 when fewer are ranked). */
    private double hundredthScore(String kind) throws Exception {
        int port = SharedPlatform.get().settings().trendingPort();
        JsonNode top = getJson("http://127.0.0.1:" + port + "/internal/trending/" + kind + "?limit=100");
        return top.size() < 100 ? 0 : top.get(99).get("score").asDouble();
    }

    private JsonNode getJson(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return json.readTree(response.body());
    }

    private static String gateway() {
        return "http://127.0.0.1:" + SharedPlatform.get().settings().gatewayPort();
    }
}

package dev.conduit.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The events trending-service consumes, as post-service and comment-service publish them: an
 * {@code EventEnvelope} as JSON, {@code conduit.posts} keyed by article id (publications and
 * favorites share the article's version sequence), {@code conduit.comments} keyed by the article
 * id with the comment as aggregate (added = version 1, deleted = version 2). The mix, from one
 * seeded random: about 5% publications (1 to 4 tags from 200, a few far more popular than the
 * rest), 50% favorites, 10% unfavorites of an earlier favorite, 28% comments, 7% deletions of an
 * earlier comment; favorites and comments mostly on recent articles. Event times are spread over
 * the 50 minutes before {@code end}, in order, so nearly all fall in the current hour's windows.
 */
final class TrendingWorkload {

    static final String POSTS = "conduit.posts";
    static final String COMMENTS = "conduit.comments";
    private static final int TAGS = 200;
    private static final int USERS = 5_000;

    /** One record to produce. */
    record Event(String topic, String key, String type, String value) {
    }

    private static final class Article {
        final String id;
        long version;
        final Set<String> favoritedBy = new LinkedHashSet<>();
        final List<Long> comments = new ArrayList<>();

        Article(String id) {
            this.id = id;
        }
    }

    private final Random random;
    private final Instant start;
    private final long spanMillis;
    private final int events;
    private final List<Article> articles = new ArrayList<>();
    private final Map<String, Long> counts = new HashMap<>();
    private long nextComment = 1;
    private int produced;

    TrendingWorkload(long seed, int events, Instant end) {
        this.random = new Random(seed);
        this.events = events;
        this.spanMillis = Duration.ofMinutes(50).toMillis();
        this.start = end.minusMillis(spanMillis);
    }

    /** Generates every event in order and hands each to {@code sink}. */
    void generate(Consumer<Event> sink) {
        while (produced < events) {
            Instant at = start.plusMillis(spanMillis * produced / Math.max(1, events));
            sink.accept(next(at));
            produced++;
        }
    }

    /** Events by type, after {@link #generate}. */
    Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    int articles() {
        return articles.size();
    }

    private Event next(Instant at) {
        double r = random.nextDouble();
        if (articles.size() < 20 || r < 0.05) {
            return publish(at);
        }
        Article article = pick();
        if (r < 0.55) {
            return favorite(article, at);
        }
        if (r < 0.65) {
            return article.favoritedBy.isEmpty() ? favorite(article, at) : unfavorite(article, at);
        }
        if (r < 0.93) {
            return commentAdded(article, at);
        }
        return article.comments.isEmpty() ? commentAdded(article, at) : commentDeleted(article, at);
    }

    /** Mostly the recent articles: the newest of a random fraction of the list, squared toward the end. */
    private Article pick() {
        double u = random.nextDouble();
        int index = (int) ((1 - u * u) * articles.size());
        return articles.get(Math.min(articles.size() - 1, index));
    }

    private String tag() {
        // a few tags far more popular than the rest
        double u = random.nextDouble();
        return "tag" + (int) (u * u * u * TAGS);
    }

    private Event publish(Instant at) {
        Article article = new Article(UUID.randomUUID().toString().replace("-", "").substring(0, 24));
        articles.add(article);
        article.version = 1;
        Set<String> tags = new LinkedHashSet<>();
        int n = 1 + random.nextInt(4);
        while (tags.size() < n) {
            tags.add(tag());
        }
        JsonObject data = new JsonObject().put("articleId", article.id).put("slug", "bench-" + article.id)
                .put("title", "Bench " + article.id).put("description", "trending bench")
                .put("tagList", new JsonArray(new ArrayList<>(tags))).put("authorId", "u" + random.nextInt(USERS));
        return post(article, "ArticlePublished", at, data);
    }

    private Event favorite(Article article, Instant at) {
        String user = "u" + random.nextInt(USERS);
        if (!article.favoritedBy.add(user)) {
            // already a favorite of that user: post-service would publish nothing; a comment instead
            return commentAdded(article, at);
        }
        article.version++;
        return post(article, "ArticleFavorited", at, new JsonObject().put("articleId", article.id).put("userId", user)
                .put("favoritesCount", article.favoritedBy.size()));
    }

    private Event unfavorite(Article article, Instant at) {
        String user = article.favoritedBy.iterator().next();
        article.favoritedBy.remove(user);
        article.version++;
        return post(article, "ArticleUnfavorited", at, new JsonObject().put("articleId", article.id).put("userId", user)
                .put("favoritesCount", article.favoritedBy.size()));
    }

    private Event commentAdded(Article article, Instant at) {
        long id = nextComment++;
        article.comments.add(id);
        return comment(article, "CommentAdded", id, 1, at, new JsonObject().put("commentId", id).put("articleId", article.id)
                .put("authorId", "u" + random.nextInt(USERS)).put("body", "comment " + id));
    }

    private Event commentDeleted(Article article, Instant at) {
        long id = article.comments.remove(random.nextInt(article.comments.size()));
        return comment(article, "CommentDeleted", id, 2, at, new JsonObject().put("commentId", id).put("articleId", article.id)
                .put("authorId", "u0"));
    }

    private Event post(Article article, String type, Instant at, JsonObject data) {
        counts.merge(type, 1L, Long::sum);
        return new Event(POSTS, article.id, type, envelope(type, article.id, article.version, at, data));
    }

    private Event comment(Article article, String type, long commentId, long version, Instant at, JsonObject data) {
        counts.merge(type, 1L, Long::sum);
        return new Event(COMMENTS, article.id, type, envelope(type, String.valueOf(commentId), version, at, data));
    }

    static String envelope(String type, String aggregateId, long version, Instant at, JsonObject data) {
        return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", type).put("schemaVersion", 1)
                .put("aggregateId", aggregateId).put("aggregateVersion", version).put("occurredAt", at.toString())
                .put("data", data).encode();
    }
}

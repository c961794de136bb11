package dev.conduit.trending.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.trending.query.LocalRanking;
import dev.conduit.trending.query.Ranked;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-comment versions are kept for the scores' retention (window + one hop), not forever: within
 * it a duplicate is ignored, after it the entries are gone and a replay of such an old event counts
 * nowhere.
 */
class CommentRetentionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Scoring SCORING = new Scoring(Duration.ofHours(1), Duration.ofMinutes(5), 3, 2, 1);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @TempDir
    Path stateDir;

    private TopologyFixture fixture;
    private TopologyTestDriver driver;
    private TestInputTopic<String, String> posts;
    private TestInputTopic<String, String> comments;
    private Map<String, AtomicLong> counted;

    @BeforeEach
    void start() {
        fixture = new TopologyFixture("trending-retention-test", stateDir, SCORING, JSON);
        driver = fixture.driver;
        posts = fixture.posts;
        comments = fixture.comments;
        counted = fixture.counted;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aDuplicateWithinTheRetentionIsIgnored() {
        String a = "article-a";
        publish(a, T0);
        String added = comment(a, "c1", 1, T0.plusSeconds(1));
        comments.pipeInput(a, added);
        // 50 minutes later (stream time), still within window + hop of the comment
        publish("article-b", T0.plus(Duration.ofMinutes(50)));
        comments.pipeInput(a, added);

        assertEquals(1, count("duplicate"));
        assertEquals(List.of(new Ranked(a, 1 + 2), new Ranked("article-b", 1)), articles(T0.plus(Duration.ofMinutes(50))));
        assertEquals(List.of("c1"), commentKeys());
    }

    @Test
    void entriesOlderThanTheRetentionArePurgedAndAReplayOfThemCountsNowhere() {
        String a = "article-a";
        publish(a, T0);
        String first = comment(a, "c1", 1, T0.plusSeconds(1));
        String second = comment(a, "c2", 1, T0.plusSeconds(2));
        comments.pipeInput(a, first);
        comments.pipeInput(a, second);
        assertEquals(List.of("c1", "c2"), commentKeys());

        // stream time moves on by two retentions: the old comments' segment of the store is dropped
        Instant later = T0.plus(SCORING.retention().multipliedBy(2));
        String b = "article-b";
        publish(b, later);
        String recent = comment(b, "c3", 1, later.plusSeconds(1));
        comments.pipeInput(b, recent);
        assertEquals(List.of("c3"), commentKeys());

        // replayed: the old ones are too old to count anywhere, the recent one is still a duplicate
        comments.pipeInput(a, first);
        comments.pipeInput(a, second);
        comments.pipeInput(b, recent);
        assertEquals(2, count("expired"));
        assertEquals(1, count("duplicate"));
        assertEquals(List.of("c3"), commentKeys());
        assertEquals(List.of(new Ranked(b, 1 + 2)), articles(later.plusSeconds(60)));
        assertEquals(List.of(), articles(T0.plusSeconds(60)), "the old windows are expired, not counted again");
        // every window still kept holds each event once: b's publication and one comment
        assertEquals(List.of(1.0 + 2.0), distinctScores(b));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private List<Ranked> articles(Instant now) {
        WindowStore<String, Double> store = driver.getWindowStore(TrendingTopology.ARTICLE_SCORES_STORE);
        return LocalRanking.top(store, SCORING, SCORING.currentWindowStart(now.toEpochMilli()), 100);
    }

    private List<Double> distinctScores(String articleId) {
        WindowStore<String, Double> store = driver.getWindowStore(TrendingTopology.ARTICLE_SCORES_STORE);
        List<Double> scores = new ArrayList<>();
        try (var it = store.fetch(articleId, 0L, Long.MAX_VALUE)) {
            it.forEachRemaining(kv -> {
                if (!scores.contains(kv.value)) {
                    scores.add(kv.value);
                }
            });
        }
        return scores;
    }

    private List<String> commentKeys() {
        WindowStore<String, Long> store = driver.getWindowStore(TrendingTopology.COMMENT_VERSION_STORE);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, Long> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, Long> entry = it.next();
                keys.add(entry.key.key());
            }
        }
        return keys.stream().sorted().toList();
    }

    private long count(String what) {
        AtomicLong n = counted.get(what);
        return n == null ? 0 : n.get();
    }

    private void publish(String id, Instant at) {
        posts.pipeInput(id, envelope("ArticlePublished", id, 1, at, "{\"articleId\":\"" + id + "\",\"slug\":\"s-" + id
                + "\",\"title\":\"t\",\"description\":\"d\",\"tagList\":[],\"authorId\":\"author\"}"));
    }

    private static String comment(String articleId, String commentId, long version, Instant at) {
        return envelope("CommentAdded", commentId, version, at,
                "{\"commentId\":1,\"articleId\":\"" + articleId + "\",\"authorId\":\"u\",\"body\":\"b\"}");
    }

    private static String envelope(String type, String aggregateId, long version, Instant at, String data) {
        return "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"" + type + "\",\"schemaVersion\":1,\"aggregateId\":\""
                + aggregateId + "\",\"aggregateVersion\":" + version + ",\"occurredAt\":\"" + at + "\",\"data\":" + data + "}";
    }
}

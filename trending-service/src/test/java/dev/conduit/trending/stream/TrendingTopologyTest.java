package dev.conduit.trending.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.trending.query.LocalRanking;
import dev.conduit.trending.query.Ranked;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The window and scoring rules, with Kafka Streams' test driver (no broker). */
class TrendingTopologyTest {

    /** An aligned instant: windows of one hour hop every five minutes from the epoch. */
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
        fixture = new TopologyFixture("trending-test", stateDir, SCORING, JSON);
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
    void publicationFavoritesAndCommentsAddUpAndTakeBacksSubtract() {
        String a = id();
        String b = id();
        publish(a, 1, T0, List.of());
        favorite(a, 2, T0.plusSeconds(10));
        favorite(a, 3, T0.plusSeconds(20));
        unfavorite(a, 4, T0.plusSeconds(30));
        comment(a, 1, 1, true, T0.plusSeconds(40));
        comment(a, 2, 1, true, T0.plusSeconds(50));
        comment(a, 2, 2, false, T0.plusSeconds(60));
        publish(b, 1, T0, List.of());
        favorite(b, 2, T0.plusSeconds(10));

        // a: 1 + 3 + 3 - 3 + 2 + 2 - 2 = 6; b: 1 + 3 = 4
        assertEquals(List.of(new Ranked(a, 6), new Ranked(b, 4)), articles(T0.plusSeconds(120)));
    }

    @Test
    void tagsCountTheirArticlesAndFollowAnUpdate() {
        String a = id();
        String b = id();
        publish(a, 1, T0, List.of("java", "kafka"));
        favorite(a, 2, T0.plusSeconds(1));
        assertEquals(List.of(new Ranked("java", 4), new Ranked("kafka", 4)), tags(T0.plusSeconds(60)));

        update(a, 3, T0.plusSeconds(2), List.of("kafka", "streams"));
        publish(b, 1, T0.plusSeconds(3), List.of("kafka"));
        assertEquals(List.of(new Ranked("kafka", 5), new Ranked("streams", 4)), tags(T0.plusSeconds(60)));
    }

    @Test
    void aCommentBeforeItsArticlesFirstEventCountsForTheTagsOnceTheyAreKnown() {
        String a = id();
        comment(a, 1, 1, true, T0);
        publish(a, 1, T0.plusSeconds(1), List.of("early"));
        assertEquals(List.of(new Ranked("early", 3)), tags(T0.plusSeconds(60)));
        assertEquals(List.of(new Ranked(a, 3)), articles(T0.plusSeconds(60)));
    }

    @Test
    void aDeletedArticleLeavesTheRankingWithItsTagContributions() {
        String a = id();
        String b = id();
        publish(a, 1, T0, List.of("gone", "shared"));
        favorite(a, 2, T0.plusSeconds(1));
        publish(b, 1, T0, List.of("shared"));
        delete(a, 3, T0.plusSeconds(2));
        comment(a, 1, 1, true, T0.plusSeconds(3));
        favorite(a, 4, T0.plusSeconds(4));

        assertEquals(List.of(new Ranked(b, 1)), articles(T0.plusSeconds(60)));
        assertEquals(List.of(new Ranked("shared", 1)), tags(T0.plusSeconds(60)));
        assertEquals(2, count("deleted"));
    }

    @Test
    void aDuplicateEventIsAppliedOnce() {
        String a = id();
        publish(a, 1, T0, List.of("t"));
        String favorite = envelope(UUID.randomUUID(), "ArticleFavorited", a, 2, T0.plusSeconds(1),
                "{\"articleId\":\"" + a + "\",\"userId\":\"u\",\"favoritesCount\":1}");
        posts.pipeInput(a, favorite);
        posts.pipeInput(a, favorite);
        String added = envelope(UUID.randomUUID(), "CommentAdded", "7", 1, T0.plusSeconds(2),
                "{\"commentId\":7,\"articleId\":\"" + a + "\",\"authorId\":\"u\",\"body\":\"x\"}");
        comments.pipeInput(a, added);
        comments.pipeInput(a, added);

        assertEquals(List.of(new Ranked(a, 1 + 3 + 2)), articles(T0.plusSeconds(60)));
        assertEquals(List.of(new Ranked("t", 1 + 3 + 2)), tags(T0.plusSeconds(60)));
        assertEquals(2, count("duplicate"));
    }

    @Test
    void aStaleVersionIsIgnored() {
        String a = id();
        publish(a, 1, T0, List.of("new"));
        update(a, 3, T0.plusSeconds(2), List.of("newer"));
        // version 2 arrives late: neither its favorite nor an older tag list counts
        favorite(a, 2, T0.plusSeconds(1));
        update(a, 2, T0.plusSeconds(3), List.of("stale"));

        assertEquals(List.of(new Ranked(a, 1)), articles(T0.plusSeconds(60)));
        assertEquals(List.of(new Ranked("newer", 1)), tags(T0.plusSeconds(60)));
        assertEquals(2, count("stale"));
    }

    @Test
    void anEventOlderThanTheWindowDropsOut() {
        String old = id();
        String recent = id();
        publish(old, 1, T0.minus(Duration.ofMinutes(50)), List.of("old"));
        favorite(old, 2, T0.minus(Duration.ofMinutes(50)));
        publish(recent, 1, T0.minus(Duration.ofMinutes(10)), List.of("recent"));

        // at T0 both are within the hour
        assertEquals(List.of(new Ranked(old, 4), new Ranked(recent, 1)), articles(T0));
        // twenty minutes later the window starts after the old events: only the recent one is left
        assertEquals(List.of(new Ranked(recent, 1)), articles(T0.plus(Duration.ofMinutes(20))));
        assertEquals(List.of(new Ranked("recent", 1)), tags(T0.plus(Duration.ofMinutes(20))));
        // and an hour and more after the recent one, nothing trends
        assertEquals(List.of(), articles(T0.plus(Duration.ofMinutes(55))));
    }

    @Test
    void aTakeBackLaterThanWhatItTakesBackNeverRanksWithANegativeScore() {
        String cooling = id();
        String warm = id();
        // favorited and commented 50 minutes before T0, both taken back 15 minutes after it
        publish(cooling, 1, T0.minus(Duration.ofMinutes(50)), List.of("cooling"));
        favorite(cooling, 2, T0.minus(Duration.ofMinutes(50)));
        comment(cooling, 1, 1, true, T0.minus(Duration.ofMinutes(50)));
        // at T0 the current window (from T0 - 55 min) holds what was given: 1 + 3 + 2
        assertEquals(List.of(new Ranked(cooling, 6)), articles(T0));
        assertEquals(List.of(new Ranked("cooling", 6)), tags(T0));

        publish(warm, 1, T0.plus(Duration.ofMinutes(10)), List.of("warm"));
        unfavorite(cooling, 3, T0.plus(Duration.ofMinutes(15)));
        comment(cooling, 1, 2, false, T0.plus(Duration.ofMinutes(15)));
        // at T0 + 15 min the current window starts after the favorite and the comment: only their
        // take-backs are in it, -3 - 2, and the article and its tag rank nowhere
        Instant now = T0.plus(Duration.ofMinutes(15));
        long windowStart = SCORING.currentWindowStart(now.toEpochMilli());
        WindowStore<String, Double> articleScores = driver.getWindowStore(TrendingTopology.ARTICLE_SCORES_STORE);
        WindowStore<String, Double> tagScores = driver.getWindowStore(TrendingTopology.TAG_SCORES_STORE);
        assertEquals(-5.0, LocalRanking.score(articleScores, SCORING, cooling, windowStart));
        assertEquals(-5.0, LocalRanking.score(tagScores, SCORING, "cooling", windowStart));
        assertEquals(List.of(new Ranked(warm, 1)), articles(now));
        assertEquals(List.of(new Ranked("warm", 1)), tags(now));
    }

    @Test
    void aTagMoveAndADeletionTakeBackWhatTheArticleGaveInEveryWindow() {
        String a = id();
        String b = id();
        // a's score lies in three buckets: 50 and 20 minutes before T0, and at T0
        publish(a, 1, T0.minus(Duration.ofMinutes(50)), List.of("x", "y"));
        favorite(a, 2, T0.minus(Duration.ofMinutes(20)));
        comment(a, 1, 1, true, T0);
        publish(b, 1, T0.minus(Duration.ofMinutes(50)), List.of("x"));
        Instant later = T0.plus(Duration.ofMinutes(35)); // its window starts 20 minutes before T0
        assertEquals(List.of(new Ranked("x", 7), new Ranked("y", 6)), tags(T0));
        assertEquals(List.of(new Ranked("x", 5), new Ranked("y", 5)), tags(later));

        update(a, 3, T0.plusSeconds(60), List.of("y", "z"));
        assertEquals(List.of(new Ranked("y", 6), new Ranked("z", 6), new Ranked("x", 1)), tags(T0));
        assertEquals(List.of(new Ranked("y", 5), new Ranked("z", 5)), tags(later));

        delete(a, 4, T0.plusSeconds(120));
        assertEquals(List.of(new Ranked("x", 1)), tags(T0));
        assertEquals(List.of(), tags(later));
        WindowStore<String, Double> tagScores = driver.getWindowStore(TrendingTopology.TAG_SCORES_STORE);
        for (String tag : List.of("x", "y", "z")) {
            for (Instant at : List.of(T0, T0.minus(Duration.ofMinutes(30)), later)) {
                long windowStart = SCORING.currentWindowStart(at.toEpochMilli());
                assertEquals("x".equals(tag) && at.isBefore(later) ? 1.0 : 0.0,
                        LocalRanking.score(tagScores, SCORING, tag, windowStart), tag + " at " + at);
            }
        }
    }

    @Test
    void anEventSendsOneRecordPerTagThroughTheRepartitionTopic() {
        TestOutputTopic<String, TagDelta> repartition = driver.createOutputTopic(
                "trending-test-" + TrendingTopology.TAG_DELTAS + "-repartition", new StringDeserializer(),
                new JsonSerde<>(JSON, TagDelta.class).deserializer());
        String a = id();
        long bucket = T0.toEpochMilli();
        long laterBucket = T0.plus(Duration.ofMinutes(10)).toEpochMilli();
        publish(a, 1, T0, List.of("p", "q", "r"));
        assertEquals(List.of(
                KeyValue.pair("p", TagDelta.of(bucket, 1)),
                KeyValue.pair("q", TagDelta.of(bucket, 1)),
                KeyValue.pair("r", TagDelta.of(bucket, 1))), repartition.readKeyValuesToList());

        favorite(a, 2, T0.plus(Duration.ofMinutes(10)));
        assertEquals(3, repartition.readKeyValuesToList().size());

        // a tag move: what the article holds in each bucket, one record for the tag it leaves, one for the new one
        update(a, 3, T0.plus(Duration.ofMinutes(11)), List.of("p", "q", "s"));
        assertEquals(List.of(
                KeyValue.pair("r", new TagDelta(new long[]{bucket, laterBucket}, new double[]{-1, -3})),
                KeyValue.pair("s", new TagDelta(new long[]{bucket, laterBucket}, new double[]{1, 3}))),
                repartition.readKeyValuesToList());
    }

    @Test
    void aRecordThatIsNotAnEnvelopeIsSkipped() {
        String a = id();
        posts.pipeInput(a, "not json");
        publish(a, 1, T0, List.of());
        assertEquals(List.of(new Ranked(a, 1)), articles(T0.plusSeconds(1)));
        assertEquals(1, count("invalid"));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private List<Ranked> articles(Instant now) {
        WindowStore<String, Double> store = driver.getWindowStore(TrendingTopology.ARTICLE_SCORES_STORE);
        return LocalRanking.top(store, SCORING, SCORING.currentWindowStart(now.toEpochMilli()), 100);
    }

    private List<Ranked> tags(Instant now) {
        WindowStore<String, Double> store = driver.getWindowStore(TrendingTopology.TAG_SCORES_STORE);
        return LocalRanking.top(store, SCORING, SCORING.currentWindowStart(now.toEpochMilli()), 100);
    }

    private long count(String what) {
        AtomicLong n = counted.get(what);
        return n == null ? 0 : n.get();
    }

    private static String id() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    private void publish(String id, long version, Instant at, List<String> tags) {
        articleEvent("ArticlePublished", id, version, at, tags);
    }

    private void update(String id, long version, Instant at, List<String> tags) {
        articleEvent("ArticleUpdated", id, version, at, tags);
    }

    private void articleEvent(String type, String id, long version, Instant at, List<String> tags) {
        Map<String, Object> data = new HashMap<>();
        data.put("articleId", id);
        data.put("slug", "s-" + id);
        data.put("title", "t");
        data.put("description", "d");
        data.put("tagList", new ArrayList<>(tags));
        data.put("authorId", "author");
        posts.pipeInput(id, envelope(UUID.randomUUID(), type, id, version, at, write(data)));
    }

    private void favorite(String id, long version, Instant at) {
        posts.pipeInput(id, envelope(UUID.randomUUID(), "ArticleFavorited", id, version, at,
                "{\"articleId\":\"" + id + "\",\"userId\":\"u" + version + "\",\"favoritesCount\":1}"));
    }

    private void unfavorite(String id, long version, Instant at) {
        posts.pipeInput(id, envelope(UUID.randomUUID(), "ArticleUnfavorited", id, version, at,
                "{\"articleId\":\"" + id + "\",\"userId\":\"u\",\"favoritesCount\":0}"));
    }

    private void delete(String id, long version, Instant at) {
        posts.pipeInput(id, envelope(UUID.randomUUID(), "ArticleDeleted", id, version, at,
                "{\"articleId\":\"" + id + "\",\"slug\":\"s\",\"authorId\":\"author\"}"));
    }

    private void comment(String articleId, long commentId, long version, boolean added, Instant at) {
        String data = added
                ? "{\"commentId\":" + commentId + ",\"articleId\":\"" + articleId + "\",\"authorId\":\"u\",\"body\":\"b\"}"
                : "{\"commentId\":" + commentId + ",\"articleId\":\"" + articleId + "\",\"authorId\":\"u\"}";
        comments.pipeInput(articleId, envelope(UUID.randomUUID(), added ? "CommentAdded" : "CommentDeleted",
                articleId + "-" + commentId, version, at, data));
    }

    static String envelope(UUID eventId, String type, String aggregateId, long version, Instant at, String data) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"" + type + "\",\"schemaVersion\":1,\"aggregateId\":\""
                + aggregateId + "\",\"aggregateVersion\":" + version + ",\"occurredAt\":\"" + at + "\",\"data\":" + data + "}";
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

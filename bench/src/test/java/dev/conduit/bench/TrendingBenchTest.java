package dev.conduit.bench;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The --trending run's arithmetic, its section of BENCHMARKS.md and its workload's validity (no broker, no platform). */
class TrendingBenchTest {

    private static final String SECTION = TrendingBench.HEADING + "\n\nnew figures\n\n### How to rerun\n\nx\n\n";

    @Test
    void theSectionIsAddedBeforeHowToRerunAndReplacedNextTime() {
        String file = "# Benchmarks\n\n## Throughput\n\nold\n\n## How to rerun\n\nrun it\n";
        String once = TrendingBench.withSection(file, SECTION);
        assertEquals("# Benchmarks\n\n## Throughput\n\nold\n\n" + SECTION + "## How to rerun\n\nrun it\n", once);

        String twice = TrendingBench.withSection(once, TrendingBench.HEADING + "\n\nnewer\n\n");
        assertEquals("# Benchmarks\n\n## Throughput\n\nold\n\n" + TrendingBench.HEADING + "\n\nnewer\n\n## How to rerun\n\nrun it\n", twice);
        assertEquals(TrendingBench.HEADING + "\n\nnewer\n\n", TrendingBench.section(twice).orElseThrow());
    }

    @Test
    void aFileWithoutHowToRerunGetsTheSectionAtTheEnd() {
        assertEquals("# Benchmarks\n\n" + SECTION, TrendingBench.withSection("# Benchmarks\n", SECTION));
        assertTrue(TrendingBench.section("# Benchmarks\n").isEmpty());
    }

    @Test
    void theIssue12ReportKeepsTheSection() {
        String kept = TrendingBench.section(TrendingBench.withSection("# Benchmarks\n\n## How to rerun\n", SECTION)).orElseThrow();
        String rewritten = TrendingBench.withSection("# Benchmarks\n\n## Throughput\n\nnew\n\n## How to rerun\n\nrun\n", kept);
        assertTrue(rewritten.contains("## Throughput\n\nnew\n\n" + SECTION + "## How to rerun"), rewritten);
    }

    @Test
    void aRunThatSkipsOnePartKeepsThatPartOfThePreviousRun() {
        String previous = "# Benchmarks\n\n" + TrendingBench.HEADING + "\n\n- date: 2026-12-02 03:43 UTC\n\n"
                + TrendingBench.THROUGHPUT + "\n\nold throughput\n\n" + TrendingBench.LIVE + "\n\nold live\n\n"
                + "### How to rerun\n\nx\n\n## How to rerun\n";
        String liveOnly = TrendingBench.HEADING + "\n\n- date: 2026-12-02 04:00 UTC\n\n" + TrendingBench.LIVE + "\n\nnew live\n\n"
                + "### How to rerun\n\nx\n\n";
        assertEquals(TrendingBench.HEADING + "\n\n- date: 2026-12-02 04:00 UTC\n\n"
                        + TrendingBench.THROUGHPUT + "\n\n_Kept from the run of 2026-12-02 03:43 UTC (this run skipped it)._\n\nold throughput\n\n"
                        + TrendingBench.LIVE + "\n\nnew live\n\n### How to rerun\n\nx\n\n",
                TrendingBench.keepSkipped(previous, liveOnly, true, false));

        String throughputOnly = TrendingBench.HEADING + "\n\n- date: 2026-12-02 04:00 UTC\n\n" + TrendingBench.THROUGHPUT
                + "\n\nnew throughput\n\n### How to rerun\n\nx\n\n";
        assertEquals(TrendingBench.HEADING + "\n\n- date: 2026-12-02 04:00 UTC\n\n" + TrendingBench.THROUGHPUT
                        + "\n\nnew throughput\n\n" + TrendingBench.LIVE
                        + "\n\n_Kept from the run of 2026-12-02 03:43 UTC (this run skipped it)._\n\nold live\n\n### How to rerun\n\nx\n\n",
                TrendingBench.keepSkipped(previous, throughputOnly, false, true));
        // nothing skipped, or nothing before: the run's own section
        assertEquals(liveOnly, TrendingBench.keepSkipped(previous, liveOnly, false, false));
        assertEquals(liveOnly, TrendingBench.keepSkipped("# Benchmarks\n", liveOnly, true, false));
    }

    @Test
    void prometheusCountersAreSummedOverTheirLabels() {
        String text = """
                # TYPE conduit_trending_events_applied_total counter
                conduit_trending_events_applied_total{type="ArticlePublished"} 10.0
                conduit_trending_events_applied_total{type="CommentAdded"} 32.0
                conduit_trending_events_applied_totally 5.0
                """;
        assertEquals(42, TrendingThroughput.counter(text, "conduit_trending_events_applied_total"));
        assertEquals(-1, TrendingThroughput.counter(text, "conduit_trending_events_ignored_total"));
    }

    @Test
    void behindCountsWhatIsNotCommittedYet() {
        TopicPartition p0 = new TopicPartition("conduit.posts", 0);
        TopicPartition p1 = new TopicPartition("conduit.posts", 1);
        assertEquals(15, TrendingThroughput.behind(Map.of(p0, 10L, p1, 7L), Map.of(p0, 2L)));
        assertEquals(0, TrendingThroughput.behind(Map.of(p0, 10L, p1, 7L), Map.of(p0, 10L, p1, 7L)));
    }

    @Test
    void theWorkloadIsWhatTheServicesWouldPublish() {
        List<TrendingWorkload.Event> events = new ArrayList<>();
        TrendingWorkload workload = new TrendingWorkload(1, 20_000, Instant.parse("2026-03-01T10:00:00Z"));
        workload.generate(events::add);
        assertEquals(20_000, events.size());
        assertEquals(20_000L, workload.counts().values().stream().mapToLong(Long::longValue).sum());

        Map<String, Long> articleVersions = new HashMap<>();
        Set<String> published = new HashSet<>();
        Map<String, Long> commentVersions = new HashMap<>();
        Instant previous = Instant.MIN;
        for (TrendingWorkload.Event event : events) {
            JsonObject envelope = new JsonObject(event.value());
            JsonObject data = envelope.getJsonObject("data");
            Instant at = Instant.parse(envelope.getString("occurredAt"));
            assertTrue(!at.isBefore(previous), "in event-time order");
            previous = at;
            assertEquals(event.type(), envelope.getString("type"));
            assertEquals(1, envelope.getInteger("schemaVersion"));
            assertEquals(event.key(), data.getString("articleId"), "keyed by the article");
            long version = envelope.getLong("aggregateVersion");
            if (event.topic().equals(TrendingWorkload.POSTS)) {
                assertEquals(event.key(), envelope.getString("aggregateId"));
                if (event.type().equals("ArticlePublished")) {
                    assertTrue(published.add(event.key()));
                } else {
                    assertTrue(published.contains(event.key()), "a favorite after its article");
                }
                assertEquals(articleVersions.getOrDefault(event.key(), 0L) + 1, version, "article versions in sequence");
                articleVersions.put(event.key(), version);
            } else {
                assertEquals(TrendingWorkload.COMMENTS, event.topic());
                assertEquals(String.valueOf(data.getLong("commentId")), envelope.getString("aggregateId"));
                assertEquals(event.type().equals("CommentAdded") ? 1 : 2, version);
                assertEquals(commentVersions.getOrDefault(envelope.getString("aggregateId"), 0L) + 1, version);
                commentVersions.put(envelope.getString("aggregateId"), version);
            }
        }
    }
}

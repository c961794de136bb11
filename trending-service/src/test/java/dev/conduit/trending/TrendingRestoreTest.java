package dev.conduit.trending;

import dev.conduit.localstack.testing.TestServers;
import dev.conduit.trending.query.LocalRanking;
import dev.conduit.trending.query.Ranked;
import dev.conduit.trending.stream.TrendingTopology;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Restore against the real broker: the topology runs in a child JVM, is killed with SIGKILL while
 * events keep coming (duplicates among them), and a new instance, on the old state directory and
 * then on none, must hold exactly the scores of the events: nothing lost, nothing counted twice.
 */
class TrendingRestoreTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(90);

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String posts = "restore-" + run + ".posts";
    private final String comments = "restore-" + run + ".comments";
    private final String applicationId = "trending-restore-" + run;
    private final Path stateDir = Path.of("target", "restore-state", run).toAbsolutePath();
    private Process child;
    private KafkaStreams streams;

    @AfterEach
    void stop() {
        if (child != null) {
            child.destroyForcibly();
        }
        if (streams != null) {
            streams.close(Duration.ofSeconds(10));
        }
    }

    @Test
    void aKilledInstanceIsRestoredExactly() throws Exception {
        String bootstrap = TestServers.kafkaBootstrap();
        TestServers.config();
        TrendingTestResource.createTopics(TestServers.kafkaBootstrap(), List.of(posts, comments));
        // aligned to the hop, so every event of the test falls in the window asked for below
        long step = StreamsApp.SCORING.advance().toMillis();
        Instant t0 = Instant.ofEpochMilli(System.currentTimeMillis() / step * step);
        long window = StreamsApp.SCORING.currentWindowStart(t0.toEpochMilli());
        String a = Events.newId();
        String b = Events.newId();
        String tag = "restore-" + run;
        List<String> firstBatch = new ArrayList<>();

        try (Events events = new Events(TestServers.kafkaBootstrap(), posts, comments)) {
            firstBatch.add(events.publish(a, 1, t0, List.of(tag)));
            firstBatch.add(events.publish(b, 1, t0, List.of(tag)));
            long version = 1;
            for (int i = 0; i < 10; i++) {
                firstBatch.add(events.favorite(a, ++version, t0.plusMillis(i)));
            }
            for (int i = 1; i <= 5; i++) {
                firstBatch.add(events.comment(a, i, 1, true, t0.plusMillis(i)));
            }

            child = startChild(bootstrap);
            awaitCaughtUp(bootstrap);

            // more while it runs, the first batch again (duplicates), and SIGKILL in the middle of it
            for (int i = 0; i < 20; i++) {
                events.favorite(a, ++version, t0.plusMillis(100 + i));
            }
            events.comment(a, 1, 2, false, t0.plusMillis(200));
            events.comment(a, 2, 2, false, t0.plusMillis(201));
            firstBatch.forEach(e -> events.send(e.contains("\"CommentAdded\"") ? comments : posts, keyOf(e), e));
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        // a: 1 + 30 favorites * 3 + 5 comments * 2 - 2 deleted * 2 = 97; b: 1; the tag: both
        List<Ranked> articles = List.of(new Ranked(a, 97), new Ranked(b, 1));
        List<Ranked> tags = List.of(new Ranked(tag, 98));

        // 1. restart on the state directory the killed instance left
        streams = StreamsApp.create(bootstrap, applicationId, stateDir, posts, comments);
        streams.start();
        awaitCaughtUp(bootstrap);
        assertEquals(articles, top(TrendingTopology.ARTICLE_SCORES_STORE, window));
        assertEquals(tags, top(TrendingTopology.TAG_SCORES_STORE, window));
        streams.close(Duration.ofSeconds(30));

        // 2. and on none: everything from the changelog topics
        TrendingTestResource.deleteRecursively(stateDir);
        streams = StreamsApp.create(bootstrap, applicationId, stateDir, posts, comments);
        streams.start();
        await().atMost(CATCH_UP).until(() -> streams.state() == KafkaStreams.State.RUNNING);
        assertEquals(articles, top(TrendingTopology.ARTICLE_SCORES_STORE, window));
        assertEquals(tags, top(TrendingTopology.TAG_SCORES_STORE, window));
    }

    private Process startChild(String bootstrap) throws Exception {
        File log = Path.of("target", "restore-child-" + run + ".log").toFile();
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                StreamsApp.class.getName(), bootstrap, applicationId, stateDir.toString(), posts, comments)
                .redirectErrorStream(true).redirectOutput(log).start();
    }

    /** Until the application's committed input offsets reach the topics' ends. */
    private void awaitCaughtUp(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(200)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                List<TopicPartition> inputs = new ArrayList<>();
                for (String topic : List.of(posts, comments)) {
                    for (int p = 0; p < 3; p++) {
                        inputs.add(new TopicPartition(topic, p));
                    }
                }
                Map<TopicPartition, Long> ends = admin.listOffsets(inputs.stream()
                                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get(10, TimeUnit.SECONDS)
                        .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                return inputs.stream().allMatch(tp -> ends.get(tp) == 0
                        || committed.get(tp) != null && committed.get(tp).offset() >= ends.get(tp));
            });
        }
    }

    private List<Ranked> top(String store, long window) {
        return await().atMost(CATCH_UP).ignoreExceptions().until(() -> {
            ReadOnlyWindowStore<String, Double> s = streams.store(StoreQueryParameters.fromNameAndType(store,
                    QueryableStoreTypes.windowStore()));
            return LocalRanking.top(s, StreamsApp.SCORING, window, 100);
        }, r -> true);
    }

    private static String keyOf(String envelope) {
        int at = envelope.indexOf("\"articleId\":\"") + "\"articleId\":\"".length();
        return envelope.substring(at, envelope.indexOf('"', at));
    }
}

package dev.conduit.trending.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.events.Topics;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trending topology in Kafka Streams' test driver (no broker), exactly-once as in production,
 * with its two input topics and what its metrics counted ({@code applied}, or the reason ignored).
 */
final class TopologyFixture implements AutoCloseable {

    final TopologyTestDriver driver;
    final TestInputTopic<String, String> posts;
    final TestInputTopic<String, String> comments;
    final Map<String, AtomicLong> counted = new ConcurrentHashMap<>();

    TopologyFixture(String applicationId, Path stateDir, Scoring scoring, ObjectMapper json) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        TrendingMetrics metrics = new TrendingMetrics() {
            @Override
            public void applied(String type) {
                counted.computeIfAbsent("applied", k -> new AtomicLong()).incrementAndGet();
            }

            @Override
            public void ignored(String reason) {
                counted.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
            }
        };
        driver = new TopologyTestDriver(TrendingTopology.build(scoring, json, metrics), props);
        posts = driver.createInputTopic(Topics.POSTS, new StringSerializer(), new StringSerializer());
        comments = driver.createInputTopic(Topics.COMMENTS, new StringSerializer(), new StringSerializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}

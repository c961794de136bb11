package dev.conduit.trending;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.trending.stream.Scoring;
import dev.conduit.trending.stream.TrendingMetrics;
import dev.conduit.trending.stream.TrendingTopology;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The trending topology as a plain Kafka Streams app, outside Quarkus, with the service's settings
 * (exactly-once v2, 100 ms commits, 6 s sessions). {@link #main} runs it in a child JVM that a
 * test kills with SIGKILL.
 */
public final class StreamsApp {

    static final Scoring SCORING = new Scoring(Duration.ofHours(1), Duration.ofMinutes(5), 3, 2, 1);

    private StreamsApp() {
    }

    static KafkaStreams create(String bootstrap, String applicationId, Path stateDir, String posts, String comments) {
        return create(bootstrap, applicationId, stateDir, posts, comments, null);
    }

    /** {@code applicationServer}: where the other instances ask for this one's part of a ranking (null: nowhere). */
    static KafkaStreams create(String bootstrap, String applicationId, Path stateDir, String posts, String comments,
                               String applicationServer) {
        Properties props = new Properties();
        if (applicationServer != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put("session.timeout.ms", 6000);
        props.put("heartbeat.interval.ms", 2000);
        props.put("auto.offset.reset", "earliest");
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        return new KafkaStreams(TrendingTopology.build(SCORING, json, TrendingMetrics.NONE, posts, comments), props);
    }

    /** Args: bootstrap, application id, state dir, posts topic, comments topic. Runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        KafkaStreams streams = create(args[0], args[1], Path.of(args[2]), args[3], args[4]);
        streams.setStateListener((now, before) -> System.out.println("STATE " + now));
        // a child whose test JVM is gone ends too
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(1)));
        streams.start();
        Thread.currentThread().join();
    }
}

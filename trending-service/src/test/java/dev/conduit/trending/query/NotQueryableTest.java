package dev.conduit.trending.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.trending.client.OutgoingCalls;
import dev.conduit.trending.config.TrendingConfig;
import dev.conduit.trending.rest.ApiException;
import dev.conduit.trending.stream.Scoring;
import dev.conduit.trending.stream.TrendingMetrics;
import dev.conduit.trending.stream.TrendingTopology;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Stores not queryable (the client not RUNNING): 503 with a Retry-After, never a 500. */
class NotQueryableTest {

    @TempDir
    Path stateDir;

    @Test
    void aClientThatIsNotRunningAnswers503WithRetryAfter() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "not-queryable");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        TrendingConfig config = config();
        try (KafkaStreams created = new KafkaStreams(TrendingTopology.build(Scoring.of(config), json, TrendingMetrics.NONE), props)) {
            TrendingQueries queries = new TrendingQueries(created, config, json,
                    new OutgoingCalls(OpenTelemetry.noop()), "localhost:8084");
            for (TrendingQueries.Kind kind : TrendingQueries.Kind.values()) {
                ApiException e = assertThrows(ApiException.class, () -> queries.top(kind, 10));
                assertEquals(503, e.status());
                assertEquals(7, e.retryAfterSeconds());
            }
        }
    }

    private static TrendingConfig config() {
        return new TrendingConfig() {
            public Duration window() {
                return Duration.ofHours(1);
            }

            public Duration advance() {
                return Duration.ofMinutes(5);
            }

            public Weight weight() {
                return new Weight() {
                    public double favorite() {
                        return 3;
                    }

                    public double comment() {
                        return 2;
                    }

                    public double publication() {
                        return 1;
                    }
                };
            }

            public String postServiceUrl() {
                return "http://127.0.0.1:1";
            }

            public Duration requestTimeout() {
                return Duration.ofSeconds(1);
            }

            public Duration rankingCache() {
                return Duration.ofMillis(200);
            }

            public int retryAfterSeconds() {
                return 7;
            }
        };
    }
}

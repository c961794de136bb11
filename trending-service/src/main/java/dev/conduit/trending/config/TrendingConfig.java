package dev.conduit.trending.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** trending-service's own settings; Kafka Streams' are under {@code quarkus.kafka-streams} and {@code kafka-streams}. */
@ConfigMapping(prefix = "conduit.trending")
public interface TrendingConfig {

    /** Length of the hopping window a score covers. */
    @WithDefault("PT1H")
    Duration window();

    /** How far the window hops: the ranking moves on this often. */
    @WithDefault("PT5M")
    Duration advance();

    Weight weight();

    /** post-service, for the article views of the ranking ({@code GET /internal/articles?ids=}). */
    @WithDefault("http://localhost:8082")
    String postServiceUrl();

    /** How long post-service and the other trending instances may take to answer. */
    @WithDefault("2s")
    Duration requestTimeout();

    /**
     * How long this instance's top list of a window is reused before the store is scanned again
     * (about a commit interval: the stores change only at commits); 0 scans per request.
     */
    @WithDefault("200ms")
    Duration rankingCache();

    /** What a 503 asks the client to wait, while the stores are not queryable. */
    @WithDefault("5")
    int retryAfterSeconds();

    interface Weight {
        @WithDefault("3")
        double favorite();

        @WithDefault("2")
        double comment();

        @WithDefault("1")
        double publication();
    }
}

package dev.conduit.trending.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.trending.config.TrendingConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The topology Quarkus' Kafka Streams extension runs, with the configured rules and Micrometer counters. */
@ApplicationScoped
public class TopologyProducer {

    // a singleton, not a client proxy: KafkaStreams reads the topology's fields, which a proxy leaves empty
    @Produces
    @Singleton
    org.apache.kafka.streams.Topology topology(TrendingConfig config, ObjectMapper json, MeterRegistry registry) {
        return TrendingTopology.build(Scoring.of(config), json, new MicrometerMetrics(registry));
    }

    /** {@code conduit_trending_events_applied_total{type}} and {@code conduit_trending_events_ignored_total{reason}}. */
    static final class MicrometerMetrics implements TrendingMetrics {
        private final MeterRegistry registry;

        MicrometerMetrics(MeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void applied(String type) {
            registry.counter("conduit.trending.events.applied", "type", type).increment();
        }

        @Override
        public void ignored(String reason) {
            registry.counter("conduit.trending.events.ignored", "reason", reason).increment();
        }
    }
}

package dev.conduit.trending.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Readiness: the Streams app has reached RUNNING once (a later rebalance answers 503 per request
 * rather than taking the instance out of rotation). Liveness: it has not failed for good (ERROR,
 * or NOT_RUNNING / PENDING_ERROR, from which a Streams client never comes back by itself). Neither does I/O.
 */
@ApplicationScoped
public class StreamsHealth {

    private final AtomicBoolean reachedRunning = new AtomicBoolean();

    boolean ready(KafkaStreams.State state) {
        if (state == KafkaStreams.State.RUNNING) {
            reachedRunning.set(true);
        }
        return reachedRunning.get() && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
    }

    static boolean alive(KafkaStreams.State state) {
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR
                && state != KafkaStreams.State.NOT_RUNNING;
    }

    @Readiness
    @ApplicationScoped
    static class Ready implements HealthCheck {
        private final KafkaStreams streams;
        private final StreamsHealth health;

        Ready(KafkaStreams streams, StreamsHealth health) {
            this.streams = streams;
            this.health = health;
        }

        @Override
        public HealthCheckResponse call() {
            KafkaStreams.State state = streams.state();
            return HealthCheckResponse.named("kafka-streams").status(health.ready(state)).withData("state", state.name()).build();
        }
    }

    @Liveness
    @ApplicationScoped
    static class Alive implements HealthCheck {
        private final KafkaStreams streams;

        Alive(KafkaStreams streams) {
            this.streams = streams;
        }

        @Override
        public HealthCheckResponse call() {
            KafkaStreams.State state = streams.state();
            return HealthCheckResponse.named("kafka-streams").status(alive(state)).withData("state", state.name()).build();
        }
    }
}

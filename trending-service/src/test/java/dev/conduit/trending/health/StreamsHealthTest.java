package dev.conduit.trending.health;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamsHealthTest {

    @Test
    void readyOnlyOnceRunningThenThroughRebalances() {
        StreamsHealth health = new StreamsHealth();
        assertFalse(health.ready(State.CREATED));
        assertFalse(health.ready(State.REBALANCING), "restoring at start-up is not ready");
        assertTrue(health.ready(State.RUNNING));
        assertTrue(health.ready(State.REBALANCING));
        assertFalse(health.ready(State.ERROR));
    }

    @Test
    void aliveUnlessFailedForGood() {
        for (State state : new State[] {State.CREATED, State.REBALANCING, State.RUNNING, State.PENDING_SHUTDOWN}) {
            assertTrue(StreamsHealth.alive(state), state.name());
        }
        for (State state : new State[] {State.ERROR, State.PENDING_ERROR, State.NOT_RUNNING}) {
            assertFalse(StreamsHealth.alive(state), state.name());
        }
    }
}

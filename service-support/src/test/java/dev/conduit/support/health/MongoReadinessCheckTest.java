package dev.conduit.support.health;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A flood of readiness calls costs MongoDB one ping per cache period. */
class MongoReadinessCheckTest {

    @Test
    void aFloodOfCallsPingsOncePerPeriod() {
        AtomicInteger pings = new AtomicInteger();
        MongoReadinessCheck check = new MongoReadinessCheck(() -> Uni.createFrom().voidItem().invoke(pings::incrementAndGet),
                Duration.ofSeconds(2), Duration.ofMinutes(1));
        for (int i = 0; i < 300; i++) {
            assertEquals(HealthCheckResponse.Status.UP, check.call().await().atMost(Duration.ofSeconds(5)).getStatus());
        }
        assertEquals(1, pings.get());
    }

    @Test
    void anUnansweredPingIsDownWithinTheTimeout() {
        MongoReadinessCheck check = new MongoReadinessCheck(() -> Uni.createFrom().nothing(), Duration.ofMillis(200), Duration.ofMillis(1));
        HealthCheckResponse response = check.call().await().atMost(Duration.ofSeconds(5));
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
    }

    @Test
    void aFailedPingIsDownAndSaysWhy() {
        MongoReadinessCheck check = new MongoReadinessCheck(() -> Uni.createFrom().failure(new IllegalStateException("refused")),
                Duration.ofSeconds(1), Duration.ofMillis(1));
        HealthCheckResponse response = check.call().await().atMost(Duration.ofSeconds(5));
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertEquals("IllegalStateException: refused", response.getData().orElseThrow().get("reason"));
    }
}

package dev.conduit.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketsTest {

    private final AtomicLong now = new AtomicLong();
    private final TokenBuckets buckets = new TokenBuckets(3, Duration.ofMinutes(1), now::get);

    @Test
    void allowsTheCapacityAtOnceThenTellsWhenTheNextTokenComes() {
        for (int i = 0; i < 3; i++) {
            assertTrue(buckets.take("a").allowed());
        }
        TokenBuckets.Decision refused = buckets.take("a");
        assertFalse(refused.allowed());
        assertEquals(Duration.ofSeconds(20), refused.retryAfter());
        assertTrue(buckets.take("b").allowed(), "keys do not share a bucket");
    }

    @Test
    void refillsEvenlyOverThePeriod() {
        for (int i = 0; i < 3; i++) {
            buckets.take("a");
        }
        now.addAndGet(Duration.ofSeconds(19).toNanos());
        assertFalse(buckets.take("a").allowed());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(buckets.take("a").allowed());
        assertFalse(buckets.take("a").allowed());
    }

    @Test
    void evictsOnlyBucketsThatHaveRefilledCompletely() {
        buckets.take("old");
        now.addAndGet(Duration.ofSeconds(40).toNanos());
        buckets.take("recent");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        buckets.evictFull();
        assertEquals(1, buckets.size());
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        buckets.evictFull();
        assertEquals(0, buckets.size());
    }
}

package dev.conduit.trending.query;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A top list is reused within the duration and for the same window only. */
class RankingCacheTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger scans = new AtomicInteger();
    private final Supplier<List<Ranked>> scan = () -> List.of(new Ranked("a", scans.incrementAndGet()));

    @Test
    void reusedWithinTheDurationScannedAgainAfterIt() {
        RankingCache cache = new RankingCache(Duration.ofMillis(200), nanos::get);
        assertEquals(1, cache.get("s", 0, scan).get(0).score());
        nanos.addAndGet(Duration.ofMillis(199).toNanos());
        assertEquals(1, cache.get("s", 0, scan).get(0).score());
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertEquals(2, cache.get("s", 0, scan).get(0).score());
        assertEquals(2, scans.get());
    }

    @Test
    void anotherWindowOrStoreIsNeverAnsweredFromTheCache() {
        RankingCache cache = new RankingCache(Duration.ofMillis(200), nanos::get);
        cache.get("s", 0, scan);
        assertEquals(2, cache.get("s", 300_000, scan).get(0).score());
        assertEquals(3, cache.get("t", 300_000, scan).get(0).score());
        assertEquals(2, cache.get("s", 300_000, scan).get(0).score());
    }

    @Test
    void aDurationOfZeroScansEveryTime() {
        RankingCache cache = new RankingCache(Duration.ZERO, nanos::get);
        cache.get("s", 0, scan);
        cache.get("s", 0, scan);
        assertEquals(2, scans.get());
    }
}

package dev.conduit.trending.stream;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A window's buckets hold exactly the events the window covers, also when the window is no multiple of the hop. */
class ScoringTest {

    @Test
    void theBucketIsTheGreatestCommonDivisorOfWindowAndHop() {
        assertEquals(Duration.ofMinutes(5).toMillis(), scoring(Duration.ofHours(1), Duration.ofMinutes(5)).bucket());
        assertEquals(Duration.ofMinutes(10).toMillis(), scoring(Duration.ofMinutes(50), Duration.ofMinutes(20)).bucket());
        assertEquals(Duration.ofMinutes(7).toMillis(), scoring(Duration.ofMinutes(7), Duration.ofMinutes(7)).bucket());
    }

    @Test
    void aWindowsBucketsAreTheEventsItCovers() {
        for (Scoring s : new Scoring[]{scoring(Duration.ofHours(1), Duration.ofMinutes(5)),
                scoring(Duration.ofMinutes(50), Duration.ofMinutes(20)), scoring(Duration.ofMinutes(7), Duration.ofMinutes(3))}) {
            long step = s.advance().toMillis();
            long origin = 1_000 * step;
            for (long t = origin; t < origin + 3 * s.window().toMillis(); t += 37_000) {
                long bucket = s.bucketStart(t);
                for (long w = origin - 2 * s.window().toMillis(); w < origin + 4 * s.window().toMillis(); w += step) {
                    boolean covers = w <= t && t < w + s.window().toMillis();
                    boolean inBuckets = s.firstBucket(w) <= bucket && bucket <= s.lastBucket(w);
                    assertEquals(covers, inBuckets, "window " + w + ", event " + t + ", " + s);
                }
                boolean inCurrent = s.firstBucket(s.currentWindowStart(t)) <= bucket && bucket <= s.lastBucket(s.currentWindowStart(t));
                assertEquals(true, inCurrent);
            }
        }
    }

    private static Scoring scoring(Duration window, Duration advance) {
        return new Scoring(window, advance, 3, 2, 1);
    }
}

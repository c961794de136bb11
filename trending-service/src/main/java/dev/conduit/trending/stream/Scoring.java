package dev.conduit.trending.stream;

import dev.conduit.trending.config.TrendingConfig;

import java.time.Duration;

/**
 * The scoring rules as plain values, so that the topology can be built with or without Quarkus.
 * Windows are aligned to the epoch: window {@code s} covers {@code [s, s + window)} and starts at a
 * multiple of {@code advance}; an event at {@code t} counts in every window that covers {@code t}.
 * <p>
 * The stores keep <em>buckets</em>, not windows: bucket {@code b} sums the events in
 * {@code [b, b + bucket)}, {@code bucket} being the greatest common divisor of {@code window} and
 * {@code advance} (the hop, 5 minutes, by default). Every window starts and ends on a bucket edge,
 * so a window's score is exactly the sum of its buckets ({@link #firstBucket}..{@link #lastBucket});
 * an event changes one bucket instead of every window covering it.
 */
public record Scoring(Duration window, Duration advance, double favorite, double comment, double publication) {

    public Scoring {
        if (advance.isZero() || advance.isNegative() || window.compareTo(advance) < 0) {
            throw new IllegalArgumentException("need 0 < advance <= window, got window " + window + ", advance " + advance);
        }
    }

    public static Scoring of(TrendingConfig config) {
        return new Scoring(config.window(), config.advance(), config.weight().favorite(), config.weight().comment(),
                config.weight().publication());
    }

    /** Start of the earliest window covering {@code t}. */
    public long firstWindowStart(long t) {
        long size = window.toMillis();
        long step = advance.toMillis();
        return Math.max(0, Math.floorDiv(t - size, step) * step + step);
    }

    /** Start of the latest window covering {@code t}. */
    public long lastWindowStart(long t) {
        long step = advance.toMillis();
        return Math.floorDiv(t, step) * step;
    }

    /**
     * The window the ranking answers from at {@code now}: the one that started earliest among those
     * still covering {@code now}, i.e. the one that holds (almost) the last {@code window} of events.
     */
    public long currentWindowStart(long now) {
        return firstWindowStart(now);
    }

    /** Length of a bucket in milliseconds: the greatest common divisor of the window and the hop. */
    public long bucket() {
        return gcd(window.toMillis(), advance.toMillis());
    }

    /** Start of the bucket {@code t} falls in. */
    public long bucketStart(long t) {
        long size = bucket();
        return Math.floorDiv(t, size) * size;
    }

    /** The first bucket of the window starting at {@code windowStart}: the window's start. */
    public long firstBucket(long windowStart) {
        return windowStart;
    }

    /** The last bucket of the window starting at {@code windowStart}. */
    public long lastBucket(long windowStart) {
        return windowStart + window.toMillis() - bucket();
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * How long buckets are kept (by their start): a full window, plus one hop for late events; the
     * current window's buckets all start after {@code now - window}.
     */
    public Duration retention() {
        return window.plus(advance);
    }
}

package dev.conduit.trending.stream;

import dev.conduit.trending.config.TrendingConfig;

import java.time.Duration;

/**
 * The scoring rules as plain values, so that the topology can be built with or without Quarkus.
 * Windows are aligned to the epoch: window {@code s} covers {@code [s, s + window)} and starts at a
 * multiple of {@code advance}; an event at {@code t} counts in every window that covers {@code t}.
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

    /** How long window scores are kept: a full window, plus one hop for late events. */
    public Duration retention() {
        return window.plus(advance);
    }
}

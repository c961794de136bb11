package dev.conduit.trending.query;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The last local top list of each store and window, kept for a moment: a ranking scans the whole
 * current window of a store, and under load many requests would scan the same window within one
 * commit interval, while the store changes only at commits. Keyed by store and window, so a new
 * window is never answered from an old one; a duration of zero keeps nothing.
 */
final class RankingCache {

    private record Entry(long window, long computedAt, List<Ranked> top) {
    }

    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    RankingCache(Duration ttl, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The top list of {@code store} in {@code window}: the one computed less than the duration ago, else {@code compute}'s. */
    List<Ranked> get(String store, long window, Supplier<List<Ranked>> compute) {
        if (ttlNanos <= 0) {
            return compute.get();
        }
        long now = nanoClock.getAsLong();
        Entry entry = entries.get(store);
        if (entry != null && entry.window() == window && now - entry.computedAt() < ttlNanos) {
            return entry.top();
        }
        List<Ranked> top = compute.get();
        entries.put(store, new Entry(window, now, top));
        return top;
    }
}

package dev.conduit.gateway.ratelimit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a client address or a user): {@code capacity} requests at once, refilled
 * evenly so that {@code capacity} more are allowed per {@code period}. In memory, per gateway
 * instance: with n instances behind a load balancer a client gets up to n times the limit.
 */
public final class TokenBuckets {

    /** Whether a request may pass; when not, how long until it would. */
    public record Decision(boolean allowed, Duration retryAfter) {
        static final Decision ALLOW = new Decision(true, Duration.ZERO);
    }

    private final double capacity;
    private final double tokensPerNano;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBuckets(int capacity, Duration period, LongSupplier nanoClock) {
        if (capacity < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("a rate limit needs at least 1 request per positive period");
        }
        this.capacity = capacity;
        this.tokensPerNano = capacity / (double) period.toNanos();
        this.nanoClock = nanoClock;
    }

    public Decision take(String key) {
        long now = nanoClock.getAsLong();
        return buckets.computeIfAbsent(key, k -> new Bucket(capacity, now)).take(now);
    }

    /**
     * Forgets buckets that have refilled completely: such a bucket behaves exactly like a new one,
     * so dropping it loses nothing and keeps memory bounded by the recently active keys.
     */
    public void evictFull() {
        long now = nanoClock.getAsLong();
        buckets.values().removeIf(bucket -> bucket.isFull(now));
    }

    /** Keys currently tracked. */
    public int size() {
        return buckets.size();
    }

    private final class Bucket {
        private double tokens;
        private long updatedAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedAt = now;
        }

        synchronized Decision take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return Decision.ALLOW;
            }
            long nanosToNextToken = (long) Math.ceil((1 - tokens) / tokensPerNano);
            return new Decision(false, Duration.ofNanos(nanosToNextToken));
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(long now) {
            tokens = Math.min(capacity, tokens + (now - updatedAt) * tokensPerNano);
            updatedAt = now;
        }
    }
}

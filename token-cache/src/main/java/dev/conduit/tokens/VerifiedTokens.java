package dev.conduit.tokens;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Tokens whose signature, issuer and audience were verified, by the exact token string, so that a
 * client's token (the same one on every request for its whole lifetime) costs one RSA verification
 * instead of one per request (issue 12: under the create load verification was 62% of the gateway's
 * CPU and 15% of post-service's with C1-only JIT, where BigInteger's Montgomery intrinsics are not
 * used). Only tokens that passed are put here. One class for the gateway and the services, in a
 * module of its own: the gateway does not depend on service-support (no MongoDB, no Kafka), and both
 * must keep the same rules.
 *
 * <p>What depends on the time is checked again on every hit, as smallrye-jwt (jose4j) checks it at
 * parse time: {@code exp} with the allowed clock skew, {@code nbf} with the same skew, and the
 * maximum token age after {@code iat} when one is configured. An entry also never outlives its
 * token's expiry and is dropped after {@code maxAge} in any case, so a key withdrawn from the key set
 * stops being honoured within that time. Caffeine (thread-safe, bounded by {@code maximumSize})
 * holds the entries; the nanosecond ticker and the wall clock are given so that tests can move time.
 */
public final class VerifiedTokens<V> {

    /** The time claims of a verified token, epoch seconds; {@code notBefore} and {@code issuedAt} may be absent. */
    public record Times(long expiresAt, Long notBefore, Long issuedAt) {
    }

    /** How smallrye-jwt checks the time claims: clock skew in seconds, and the maximum age after iat (null: none). */
    public record Rules(int clockSkewSeconds, Long tokenAgeSeconds) {
    }

    private record Entry<V>(V value, Times times) {
    }

    private final Cache<String, Entry<V>> cache;
    private final Rules rules;
    private final AtomicLong generation = new AtomicLong();
    private final LongSupplier epochMillis;

    public VerifiedTokens(long maximumSize, Duration maxAge, Rules rules) {
        this(maximumSize, maxAge, rules, Ticker.systemTicker(), System::currentTimeMillis);
    }

    VerifiedTokens(long maximumSize, Duration maxAge, Rules rules, Ticker ticker, LongSupplier epochMillis) {
        this.rules = rules;
        this.epochMillis = epochMillis;
        long maxAgeNanos = maxAge.toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(ticker)
                .expireAfter(new Expiry<String, Entry<V>>() {
                    @Override
                    public long expireAfterCreate(String token, Entry<V> entry, long currentTime) {
                        return Math.max(0, Math.min(maxAgeNanos, TimeUnit.MILLISECONDS.toNanos(validForMillis(entry.times()))));
                    }

                    @Override
                    public long expireAfterUpdate(String token, Entry<V> entry, long currentTime, long currentDuration) {
                        return expireAfterCreate(token, entry, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String token, Entry<V> entry, long currentTime, long currentDuration) {
                        // a hit does not extend an entry's life
                        return currentDuration;
                    }
                })
                .build();
    }

    /** What verifying {@code token} produced, if it was verified and is still in date; null otherwise. */
    public V get(String token) {
        Entry<V> entry = cache.getIfPresent(token);
        if (entry == null) {
            return null;
        }
        if (validForMillis(entry.times()) <= 0 || notYetValid(entry.times())) {
            cache.invalidate(token);
            return null;
        }
        return entry.value();
    }

    /**
     * Where the keys stand: read it before looking up the key that verifies a token, and give it to
     * {@link #put}. {@link #clear()} moves it on.
     */
    public long generation() {
        return generation.get();
    }

    /**
     * Keeps what verifying {@code token} produced; call only for a token that passed every check.
     * {@code generation} is {@link #generation()} as it was before the verification started: a token
     * verified with a key set that was cleared meanwhile is not kept, whichever finished first (the
     * clear moves the generation on before it empties the cache; this looks at it after the put).
     */
    public void put(String token, V value, Times times, long generation) {
        if (validForMillis(times) > 0 && !notYetValid(times)) {
            cache.put(token, new Entry<>(value, times));
            if (this.generation.get() != generation) {
                cache.invalidate(token);
            }
        }
    }

    public void invalidate(String token) {
        cache.invalidate(token);
    }

    /** Forgets every token, e.g. when the keys that verify them changed. */
    public void clear() {
        generation.incrementAndGet();
        cache.invalidateAll();
    }

    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /**
     * How long from now the token passes the exp (and token age) checks, in ms; 0 or less once it
     * fails them. jose4j refuses a token when {@code now - skew >= exp}, smallrye-jwt when
     * {@code now - iat > tokenAge}, both in whole seconds.
     */
    private long validForMillis(Times times) {
        long now = epochMillis.getAsLong();
        long nowSeconds = Math.floorDiv(now, 1000);
        long lastValidSecond = times.expiresAt() + rules.clockSkewSeconds() - 1;
        if (rules.tokenAgeSeconds() != null && times.issuedAt() != null) {
            lastValidSecond = Math.min(lastValidSecond, times.issuedAt() + rules.tokenAgeSeconds());
        }
        if (nowSeconds > lastValidSecond) {
            return 0;
        }
        return (lastValidSecond + 1) * 1000 - now;
    }

    /** jose4j refuses a token when {@code now + skew < nbf}. */
    private boolean notYetValid(Times times) {
        return times.notBefore() != null
                && Math.floorDiv(epochMillis.getAsLong(), 1000) + rules.clockSkewSeconds() < times.notBefore();
    }
}

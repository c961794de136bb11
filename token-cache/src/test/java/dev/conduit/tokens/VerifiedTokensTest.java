package dev.conduit.tokens;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verified-token cache's own rules, with a clock the test moves. */
class VerifiedTokensTest {

    private static final long NOW = 1_800_000_000L;

    /** Caffeine's ticker (nanoseconds) and the wall clock (ms), moved together. */
    private final AtomicLong nanos = new AtomicLong(123_456_789L);
    private final AtomicLong millis = new AtomicLong(NOW * 1000);

    private VerifiedTokens<String> tokens(Duration maxAge, int skew, Long tokenAge) {
        return new VerifiedTokens<>(100, maxAge, new VerifiedTokens.Rules(skew, tokenAge), nanos::get, millis::get);
    }

    private void advance(Duration time) {
        nanos.addAndGet(time.toNanos());
        millis.addAndGet(time.toMillis());
    }

    private static VerifiedTokens.Times expiringIn(long seconds) {
        return new VerifiedTokens.Times(NOW + seconds, null, NOW);
    }

    @Test
    void aVerifiedTokenIsAnsweredUntilItsMaxAgeAndAnOtherOneIsNot() {
        VerifiedTokens<String> tokens = tokens(Duration.ofSeconds(60), 60, null);
        tokens.put("a", "jake", expiringIn(3600), tokens.generation());
        assertEquals("jake", tokens.get("a"));
        assertNull(tokens.get("b"));
        assertNull(tokens.get("a" + "x"));

        advance(Duration.ofSeconds(59));
        assertEquals("jake", tokens.get("a"), "reads do not extend an entry's life, but it is not over yet");
        advance(Duration.ofSeconds(1));
        assertNull(tokens.get("a"), "verified again after max-age");
    }

    @Test
    void expiryIsCheckedOnEveryHitWithTheParsersClockSkew() {
        // an hour of max-age: what ends the entry here is the token's exp (10 s) plus 60 s of skew
        VerifiedTokens<String> tokens = tokens(Duration.ofHours(1), 60, null);
        tokens.put("a", "jake", expiringIn(10), tokens.generation());
        advance(Duration.ofSeconds(69));
        assertEquals("jake", tokens.get("a"), "jose4j accepts while now - skew < exp");
        advance(Duration.ofMillis(999));
        assertEquals("jake", tokens.get("a"));
        advance(Duration.ofMillis(1));
        assertNull(tokens.get("a"), "now - skew >= exp: refused, as the parser refuses it");
    }

    @Test
    void anExpiredTokenIsNeverKeptAndNotBeforeAndTokenAgeAreHonoured() {
        VerifiedTokens<String> tokens = tokens(Duration.ofHours(1), 0, 30L);
        tokens.put("expired", "jake", expiringIn(0), tokens.generation());
        assertNull(tokens.get("expired"));

        tokens.put("early", "jake", new VerifiedTokens.Times(NOW + 3600, NOW + 5, NOW), tokens.generation());
        assertNull(tokens.get("early"), "nbf in the future (no skew): not kept");

        tokens.put("aged", "jake", expiringIn(3600), tokens.generation());
        advance(Duration.ofSeconds(30));
        assertEquals("jake", tokens.get("aged"));
        advance(Duration.ofSeconds(1));
        assertNull(tokens.get("aged"), "older than mp.jwt.verify.token.age");
    }

    @Test
    void clearForgetsEveryTokenAndATokenVerifiedAcrossAClearIsNotKept() {
        VerifiedTokens<String> tokens = tokens(Duration.ofSeconds(60), 60, null);
        tokens.put("a", "jake", expiringIn(3600), tokens.generation());
        long before = tokens.generation();
        tokens.clear();
        assertNull(tokens.get("a"));

        // verified with the keys held before the clear, finished after it
        tokens.put("b", "jake", expiringIn(3600), before);
        assertNull(tokens.get("b"));
        tokens.put("b", "jake", expiringIn(3600), tokens.generation());
        assertEquals("jake", tokens.get("b"));
    }

    @Test
    void theNumberOfTokensIsBounded() {
        VerifiedTokens<String> tokens = new VerifiedTokens<>(10, Duration.ofSeconds(60), new VerifiedTokens.Rules(60, null),
                nanos::get, millis::get);
        for (int i = 0; i < 100; i++) {
            tokens.put("t" + i, "u" + i, expiringIn(3600), tokens.generation());
        }
        assertTrue(tokens.size() <= 10, "kept " + tokens.size());
    }
}

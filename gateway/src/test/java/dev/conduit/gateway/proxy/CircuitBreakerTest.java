package dev.conduit.gateway.proxy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong();
    private final CircuitBreaker breaker = new CircuitBreaker(4, 3, 0.5, Duration.ofSeconds(5), now::get);

    private void calls(boolean... failures) {
        for (boolean failure : failures) {
            assertTrue(breaker.tryAcquire());
            if (failure) {
                breaker.onFailure();
            } else {
                breaker.onSuccess();
            }
        }
    }

    @Test
    void holdsCallsWhileOpenWithoutTakingTheTrialSlot() {
        assertFalse(breaker.holdsCalls());
        calls(true, true, true);
        assertTrue(breaker.holdsCalls());
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        // the delay is over: not held, and asking took nothing, so the trial call is still free
        assertFalse(breaker.holdsCalls());
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertTrue(breaker.tryAcquire());
        assertTrue(breaker.holdsCalls(), "half-open with its trial out");
        breaker.onSuccess();
        assertFalse(breaker.holdsCalls());
    }

    @Test
    void staysClosedBelowTheMinimumNumberOfCalls() {
        calls(true, true);
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    }

    @Test
    void opensWhenTheFailedShareOfTheWindowReachesTheRatio() {
        calls(false, true, false);
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        calls(true);
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertFalse(breaker.tryAcquire());
        assertEquals(Duration.ofSeconds(5), breaker.untilTrial());
    }

    @Test
    void onlyTheLatestCallsCount() {
        calls(true, false, false, false, false);
        // the first failure has left the window of 4: one new failure is a quarter
        calls(true);
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        calls(true);
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
    }

    @Test
    void afterTheDelayOneTrialCallDecides() {
        calls(true, true, true);
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertTrue(breaker.tryAcquire());
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
        assertFalse(breaker.tryAcquire(), "one trial at a time");
        breaker.onFailure();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());

        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertTrue(breaker.tryAcquire());
        breaker.onSuccess();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        // a clean window: two new failures are below the minimum
        calls(true, true);
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    }

    @Test
    void anAbandonedTrialLetsTheNextOneThrough() {
        calls(true, true, true);
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertTrue(breaker.tryAcquire());
        breaker.onAbandoned();
        assertTrue(breaker.tryAcquire());
    }

    @Test
    void refusesImpossibleSettings() {
        assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker(4, 5, 0.5, Duration.ofSeconds(1), now::get));
        assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker(4, 2, 0, Duration.ofSeconds(1), now::get));
    }
}

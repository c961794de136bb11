package dev.conduit.gateway.proxy;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A count-based circuit breaker for one downstream service. Closed, it lets every call through and
 * remembers the outcome of the latest {@code window} calls; once at least {@code minimumCalls} are
 * recorded and the failed share reaches {@code failureRatio} it opens and refuses calls for
 * {@code openDelay}; then it lets exactly one trial call through (half-open), whose outcome closes
 * it (with a clean window) or opens it again.
 *
 * <p>Hand-written rather than SmallRye Fault Tolerance's breaker (annotations or the programmatic
 * {@code TypedGuard}, 6.10 in the Quarkus 3.33 BOM), checked against what the gateway needs:
 * <ul>
 *   <li>A call has a third outcome, abandoned (the client went away, or its body was too large,
 *       before the service answered), which says nothing about the service. SmallRye's breaker
 *       knows success and failure only, and its half-open state admits {@code successThreshold}
 *       trial calls, a count that only a state change resets. An abandoned trial would have to
 *       close the breaker (as success: one hung-up client re-opens traffic to a dead service),
 *       re-open it (as failure), or stay unfinished, which keeps the trial slot taken and refuses
 *       every later call until a timeout fails it or someone resets the breaker by hand.</li>
 *   <li>SmallRye's rolling window is {@code requestVolumeThreshold} calls wide and judges only once
 *       it is full; here the window ({@code conduit.gateway.breaker.window}) and the calls needed
 *       before it may open ({@code minimum-calls}) are separate settings.</li>
 *   <li>The 503 of an open breaker says when the trial call will be let through
 *       ({@code Retry-After}, from {@link #untilTrial()}); SmallRye exposes the state, not that.</li>
 *   <li>A guard wraps an action that returns a value, a {@code CompletionStage} or a {@code Uni};
 *       a streamed exchange's outcome is known in Vert.x callbacks when the response head arrives
 *       (or the connection fails), and the service's own 502/503/504 must count as failures while
 *       still being relayed unchanged.</li>
 * </ul>
 * Event-loop threads of several connections share one breaker, hence the synchronized methods
 * (each a few field updates).
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int minimumCalls;
    private final double failureRatio;
    private final long openDelayNanos;
    private final LongSupplier nanoClock;

    private final boolean[] failures;
    private int recorded;
    private int next;
    private int failed;

    private State state = State.CLOSED;
    private long openedAt;
    private boolean trialInFlight;

    public CircuitBreaker(int window, int minimumCalls, double failureRatio, Duration openDelay, LongSupplier nanoClock) {
        if (window < 1 || minimumCalls < 1 || minimumCalls > window || failureRatio <= 0 || failureRatio > 1) {
            throw new IllegalArgumentException("breaker needs 1 <= minimum-calls <= window and 0 < failure-ratio <= 1");
        }
        this.failures = new boolean[window];
        this.minimumCalls = minimumCalls;
        this.failureRatio = failureRatio;
        this.openDelayNanos = openDelay.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Whether a call may go out now; every {@code true} must be followed by exactly one of the three outcome methods. */
    public synchronized boolean tryAcquire() {
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> {
                if (nanoClock.getAsLong() - openedAt < openDelayNanos) {
                    yield false;
                }
                state = State.HALF_OPEN;
                trialInFlight = true;
                yield true;
            }
            case HALF_OPEN -> {
                if (trialInFlight) {
                    yield false;
                }
                trialInFlight = true;
                yield true;
            }
        };
    }

    public synchronized void onSuccess() {
        if (state == State.HALF_OPEN) {
            state = State.CLOSED;
            trialInFlight = false;
            clearWindow();
        } else if (state == State.CLOSED) {
            record(false);
        }
    }

    public synchronized void onFailure() {
        if (state == State.HALF_OPEN) {
            open();
        } else if (state == State.CLOSED) {
            record(true);
            if (recorded >= minimumCalls && failed >= failureRatio * recorded) {
                open();
            }
        }
    }

    /** The call was abandoned without telling anything about the service (e.g. the client went away). */
    public synchronized void onAbandoned() {
        if (state == State.HALF_OPEN) {
            trialInFlight = false;
        }
    }

    /**
     * Whether the breaker holds calls back now (open within its delay, or half-open with its trial
     * call out), without taking the trial slot as {@link #tryAcquire()} does: for calls that only
     * consult the breaker and never report to it (event streams).
     */
    public synchronized boolean holdsCalls() {
        return switch (state) {
            case CLOSED -> false;
            case OPEN -> nanoClock.getAsLong() - openedAt < openDelayNanos;
            case HALF_OPEN -> trialInFlight;
        };
    }

    public synchronized State state() {
        return state;
    }

    /** Time until an open breaker lets a trial call through; zero when it is not open. */
    public synchronized Duration untilTrial() {
        if (state != State.OPEN) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(0, openDelayNanos - (nanoClock.getAsLong() - openedAt)));
    }

    private void open() {
        state = State.OPEN;
        openedAt = nanoClock.getAsLong();
        trialInFlight = false;
        clearWindow();
    }

    private void record(boolean failure) {
        if (recorded == failures.length) {
            if (failures[next]) {
                failed--;
            }
        } else {
            recorded++;
        }
        failures[next] = failure;
        if (failure) {
            failed++;
        }
        next = (next + 1) % failures.length;
    }

    private void clearWindow() {
        recorded = 0;
        next = 0;
        failed = 0;
    }
}

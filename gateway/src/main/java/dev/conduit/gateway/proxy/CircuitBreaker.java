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
 * <p>Hand-written rather than MicroProfile Fault Tolerance's {@code @CircuitBreaker}, which judges
 * a method's return value or exception: a streamed proxy exchange has neither, its outcome is known
 * when the response head arrives (or the connection fails), and a 503 from the service must count
 * as a failure while still being passed to the client unchanged. Event-loop threads of several
 * connections share one breaker, hence the synchronized methods (each a few field updates).
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

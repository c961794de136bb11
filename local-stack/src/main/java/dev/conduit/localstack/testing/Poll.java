package dev.conduit.localstack.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for eventually consistent outcomes: never a fixed sleep. */
public final class Poll {

    private Poll() {
    }

    /** Checks {@code condition} every 50 ms until it holds (true) or {@code timeout} passes (false). */
    public static boolean until(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}

package dev.conduit.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the event streams open on this gateway instance, per client and in total. A stream takes a
 * {@link Permit} before it is forwarded and gives it back when it ends, however it ends; a key whose
 * last stream closed is forgotten, so memory follows the clients with open streams.
 */
public final class StreamLimits {

    /** Why a stream was refused. */
    public enum Refusal { CLIENT, TOTAL }

    /** An open stream's place in the counts; {@link #release()} gives it back, once, whoever calls it how often. */
    public final class Permit {
        private final String key;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(String key) {
            this.key = key;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                perClient.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
                open.decrementAndGet();
            }
        }
    }

    /** A permit, or why there is none. */
    public record Decision(Permit permit, Refusal refusal) {
        public boolean allowed() {
            return permit != null;
        }
    }

    private final int maxPerClient;
    private final int maxOpen;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Integer> perClient = new ConcurrentHashMap<>();

    public StreamLimits(int maxPerClient, int maxOpen) {
        if (maxPerClient < 1 || maxOpen < 1) {
            throw new IllegalArgumentException("stream limits need at least 1 stream per client and in total");
        }
        this.maxPerClient = maxPerClient;
        this.maxOpen = maxOpen;
    }

    /** Takes a place for one more stream of {@code key} (a user or a client address), if both limits allow it. */
    public Decision tryOpen(String key) {
        if (open.incrementAndGet() > maxOpen) {
            open.decrementAndGet();
            return new Decision(null, Refusal.TOTAL);
        }
        boolean[] admitted = {false};
        perClient.compute(key, (k, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerClient) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            return new Decision(null, Refusal.CLIENT);
        }
        return new Decision(new Permit(key), null);
    }

    /** Streams open now. */
    public int open() {
        return open.get();
    }

    /** Clients with at least one open stream. */
    public int clients() {
        return perClient.size();
    }
}

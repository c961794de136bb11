package dev.conduit.support.outbox;

import java.util.Date;

/**
 * Which relay may publish an aggregate's pending events, and until when ({@code relayLease} in the
 * aggregate's document). A writer that inserts a new aggregate stores {@link OutboxRelay#newLease()}
 * with it, so the relay sends its first events without taking the lease in a write of its own.
 */
public class RelayLease {

    public String owner;
    public Date until;

    public RelayLease() {
    }

    RelayLease(String owner, Date until) {
        this.owner = owner;
        this.until = until;
    }
}

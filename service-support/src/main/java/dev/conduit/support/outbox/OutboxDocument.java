package dev.conduit.support.outbox;

import java.util.ArrayList;
import java.util.List;

/**
 * The relay's view of any aggregate document: only its outbox. Read with the same MongoDB POJO codec
 * that wrote the {@link PendingEvent}s as part of the aggregate, so no field name is typed twice.
 */
public class OutboxDocument {

    public List<PendingEvent> pendingEvents = new ArrayList<>();

    /** A tombstone ({@link OutboxRelay#TOMBSTONE}): removed once its last event is out. */
    public boolean deleted;
}

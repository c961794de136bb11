package dev.conduit.support.live;

import io.smallrye.mutiny.Uni;

import java.util.List;

/**
 * What one kind of live stream shows, given by the service that serves it: which topic, which
 * records can concern it, and how a record becomes events for this subscriber.
 */
public interface LiveStream {

    /** The metrics' {@code stream} tag, e.g. {@code comments}. */
    String name();

    String topic();

    /** How this stream's cursor looks, given the topic's partition count. */
    CursorFormat cursorFormat(int partitions);

    /**
     * Whether a record may concern this stream. Runs on the reader's thread for every record and
     * every stream, so it must be cheap and never block (look at the key or the type only).
     */
    boolean accepts(LiveRecord record);

    /** The events a record becomes for this subscriber (often none or one), in order. */
    Uni<List<SseEvent>> render(LiveRecord record);
}

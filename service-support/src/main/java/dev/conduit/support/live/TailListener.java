package dev.conduit.support.live;

/**
 * What follows a topic through this instance's one group-less reader ({@link LiveTail}): a live
 * stream, or an in-memory cache that must hear of every change. Called on the reader's thread,
 * under its lock, in each partition's order: {@link #offer} must not block.
 */
public interface TailListener {

    /** One record; false to be dropped from the reader (a stream that fell behind). */
    boolean offer(LiveRecord record);

    /** The reader stopped (shutdown, or a failure): no record reaches this listener any more. */
    void readerStopped();
}

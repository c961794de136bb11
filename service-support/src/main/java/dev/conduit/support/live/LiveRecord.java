package dev.conduit.support.live;

/**
 * One record of a live topic. {@code positions} is the reader's next offset of every partition
 * right after this record (null for a record read back for a resume): the cursor of an event
 * made from it covers everything the reader had passed on to the stream before.
 */
public record LiveRecord(int partition, long offset, String key, String type, String value, long[] positions) {
}

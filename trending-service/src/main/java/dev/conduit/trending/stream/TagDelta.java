package dev.conduit.trending.stream;

/** A change of one tag's score in the window starting at {@code windowStart}; keyed by tag on the repartition topic. */
public record TagDelta(long windowStart, double delta) {
}

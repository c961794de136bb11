package dev.conduit.trending.stream;

import java.util.Arrays;

/**
 * The changes one event makes to one tag's score, keyed by tag on the repartition topic: {@code deltas[i]}
 * to the bucket starting at {@code buckets[i]} (see {@link Scoring#bucket()}). An added or taken-back
 * score is one bucket (the event's); a tag move or an article's deletion carries every bucket the
 * article holds a score in, so that one record per tag takes back (or gives) exactly what the article
 * gave the tag in every window.
 */
public record TagDelta(long[] buckets, double[] deltas) {

    public TagDelta {
        if (buckets == null || deltas == null || buckets.length != deltas.length) {
            throw new IllegalArgumentException("buckets and deltas must pair up");
        }
    }

    static TagDelta of(long bucket, double delta) {
        return new TagDelta(new long[]{bucket}, new double[]{delta});
    }

    /** The same buckets, each delta negated. */
    TagDelta negated() {
        double[] negated = new double[deltas.length];
        for (int i = 0; i < deltas.length; i++) {
            negated[i] = -deltas[i];
        }
        return new TagDelta(buckets, negated);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TagDelta that && Arrays.equals(buckets, that.buckets) && Arrays.equals(deltas, that.deltas);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(buckets) + Arrays.hashCode(deltas);
    }

    @Override
    public String toString() {
        return "TagDelta" + Arrays.toString(buckets) + Arrays.toString(deltas);
    }
}

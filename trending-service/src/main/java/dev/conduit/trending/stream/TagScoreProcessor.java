package dev.conduit.trending.stream;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Sums the per-tag changes {@link ScoringProcessor} sends, after the repartition by tag, into the tag's
 * buckets: one task owns each tag, so a tag's score is whole in one store and the instances' rankings
 * merge exactly. A window's score is the sum of its buckets, added up when it is ranked.
 */
final class TagScoreProcessor implements Processor<String, TagDelta, Void, Void> {

    private WindowStore<String, Double> scores;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.scores = context.getStateStore(TrendingTopology.TAG_SCORES_STORE);
    }

    @Override
    public void process(Record<String, TagDelta> record) {
        TagDelta delta = record.value();
        if (record.key() == null || delta == null) {
            return;
        }
        for (int i = 0; i < delta.buckets().length; i++) {
            long bucket = delta.buckets()[i];
            Double old = scores.fetch(record.key(), bucket);
            double score = (old == null ? 0 : old) + delta.deltas()[i];
            scores.put(record.key(), Math.abs(score) < ScoringProcessor.EPSILON ? null : score, bucket);
        }
    }
}

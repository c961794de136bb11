package dev.conduit.trending.query;

import dev.conduit.trending.stream.Scoring;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The top of one window of a local score store (this instance's partitions only). The stores keep
 * buckets ({@link Scoring#bucket()}); a key's score in a window is the sum of its buckets in it.
 */
public final class LocalRanking {

    /** Highest score first; ties by key, so every instance and every call orders alike. */
    public static final Comparator<Ranked> ORDER = Comparator.comparingDouble(Ranked::score).reversed()
            .thenComparing(Ranked::key);
    /** A sum this close to zero is no score (as the stores drop such entries). */
    private static final double EPSILON = 1e-9;

    private LocalRanking() {
    }

    /** The {@code limit} highest positive scores in the window starting at {@code windowStart}. */
    public static List<Ranked> top(ReadOnlyWindowStore<String, Double> store, Scoring scoring, long windowStart, int limit) {
        Map<String, Double> sums = new HashMap<>();
        Instant from = Instant.ofEpochMilli(scoring.firstBucket(windowStart));
        Instant to = Instant.ofEpochMilli(scoring.lastBucket(windowStart));
        try (KeyValueIterator<Windowed<String>, Double> it = store.fetchAll(from, to)) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, Double> entry = it.next();
                if (entry.value != null) {
                    sums.merge(entry.key.key(), entry.value, Double::sum);
                }
            }
        }
        List<Ranked> all = new ArrayList<>();
        sums.forEach((key, score) -> {
            if (score > EPSILON) {
                all.add(new Ranked(key, score));
            }
        });
        return all.stream().sorted(ORDER).limit(limit).toList();
    }

    /** One key's score in the window starting at {@code windowStart} (0 if none), positive or not. */
    public static double score(ReadOnlyWindowStore<String, Double> store, Scoring scoring, String key, long windowStart) {
        double sum = 0;
        try (WindowStoreIterator<Double> it = store.fetch(key, Instant.ofEpochMilli(scoring.firstBucket(windowStart)),
                Instant.ofEpochMilli(scoring.lastBucket(windowStart)))) {
            while (it.hasNext()) {
                Double value = it.next().value;
                if (value != null) {
                    sum += value;
                }
            }
        }
        return sum;
    }
}

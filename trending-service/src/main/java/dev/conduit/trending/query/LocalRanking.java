package dev.conduit.trending.query;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The top of one window of a local score store (this instance's partitions only). */
public final class LocalRanking {

    /** Highest score first; ties by key, so every instance and every call orders alike. */
    public static final Comparator<Ranked> ORDER = Comparator.comparingDouble(Ranked::score).reversed()
            .thenComparing(Ranked::key);

    private LocalRanking() {
    }

    public static List<Ranked> top(ReadOnlyWindowStore<String, Double> store, long windowStart, int limit) {
        List<Ranked> all = new ArrayList<>();
        Instant at = Instant.ofEpochMilli(windowStart);
        try (KeyValueIterator<Windowed<String>, Double> it = store.fetchAll(at, at)) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, Double> entry = it.next();
                if (entry.value != null && entry.value > 0) {
                    all.add(new Ranked(entry.key.key(), entry.value));
                }
            }
        }
        return all.stream().sorted(ORDER).limit(limit).toList();
    }
}

package dev.conduit.support.live;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a stream writes its position into an event's {@code id:} and reads it back from
 * {@code Last-Event-ID}. A position is the next offset to deliver per partition ({@code -1}: not
 * named, read live only). Two forms:
 * <ul>
 * <li>{@link #ofKey}: a stream of one key, hence one partition, names the last delivered record,
 * {@code <partition>-<offset>};</li>
 * <li>{@link #allPartitions}: every partition's next offset, base 36, joined by dots
 * ({@code 1k.0.2f}).</li>
 * </ul>
 * A text that is not a cursor of this stream is an {@link IllegalArgumentException}.
 */
public interface CursorFormat {

    String encode(long[] next);

    long[] decode(String text, int partitions);

    /** The one partition a key's records are in (Kafka's default partitioner, as every producer here uses). */
    static int partitionOf(String key, int partitions) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
    }

    static CursorFormat ofKey(String key, int partitions) {
        int partition = partitionOf(key, partitions);
        return new CursorFormat() {
            @Override
            public String encode(long[] next) {
                return partition + "-" + (next[partition] - 1);
            }

            @Override
            public long[] decode(String text, int count) {
                int dash = text.indexOf('-');
                if (dash <= 0) {
                    throw new IllegalArgumentException("not <partition>-<offset>");
                }
                int p;
                long offset;
                try {
                    p = Integer.parseInt(text.substring(0, dash));
                    offset = Long.parseLong(text.substring(dash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not <partition>-<offset>");
                }
                if (p != partition || offset < 0) {
                    throw new IllegalArgumentException("not a position of this stream");
                }
                long[] next = unknown(count);
                next[partition] = offset + 1;
                return next;
            }
        };
    }

    static CursorFormat allPartitions() {
        return new CursorFormat() {
            @Override
            public String encode(long[] next) {
                StringBuilder text = new StringBuilder();
                for (int p = 0; p < next.length; p++) {
                    if (p > 0) {
                        text.append('.');
                    }
                    text.append(Long.toString(Math.max(next[p], 0), 36));
                }
                return text.toString();
            }

            @Override
            public long[] decode(String text, int count) {
                String[] parts = text.split("\\.", -1);
                if (parts.length > count || text.length() > 14 * count) {
                    throw new IllegalArgumentException("names more partitions than the topic has");
                }
                long[] next = unknown(count);
                for (int p = 0; p < parts.length; p++) {
                    try {
                        next[p] = Long.parseLong(parts[p], 36);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("not a list of offsets");
                    }
                    if (next[p] < 0) {
                        throw new IllegalArgumentException("not a list of offsets");
                    }
                }
                return next;
            }
        };
    }

    private static long[] unknown(int count) {
        long[] next = new long[count];
        Arrays.fill(next, -1);
        return next;
    }
}

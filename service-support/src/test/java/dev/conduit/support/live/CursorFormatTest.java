package dev.conduit.support.live;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The event ids of live streams: written and read back, and what is refused. */
class CursorFormatTest {

    @Test
    void aStreamOfOneKeyNamesItsPartitionAndTheLastOffset() {
        CursorFormat format = CursorFormat.ofKey("65f0c0ffee", 3);
        int p = CursorFormat.partitionOf("65f0c0ffee", 3);
        long[] next = {-1, -1, -1};
        next[p] = 42;
        assertEquals(p + "-41", format.encode(next));
        long[] back = format.decode(p + "-41", 3);
        assertEquals(42, back[p]);
        for (int q = 0; q < 3; q++) {
            if (q != p) {
                assertEquals(-1, back[q], "other partitions are not named");
            }
        }
        int other = (p + 1) % 3;
        for (String bad : List.of("", "41", "-41", p + "-", p + "-x", "x-41", other + "-41", p + "--1", p + "-1.5")) {
            assertThrows(IllegalArgumentException.class, () -> format.decode(bad, 3), bad);
        }
    }

    @Test
    void aStreamOfTheWholeTopicNamesEveryPartitionInBase36() {
        CursorFormat format = CursorFormat.allPartitions();
        assertEquals("0.z.10.rs", format.encode(new long[] {0, 35, 36, 1000}));
        assertArrayEquals(new long[] {0, 35, 36, 1000}, format.decode("0.z.10.rs", 4));
        // a partition added since the id was written is read live
        assertArrayEquals(new long[] {5, 7, -1}, format.decode("5.7", 3));
        for (String bad : List.of("", "a..b", "1.2.3.4", "-1.2", "1.2!", "zzzzzzzzzzzzzzzzzzzzzzzz")) {
            assertThrows(IllegalArgumentException.class, () -> format.decode(bad, 3), bad);
        }
    }

    @Test
    void keysGoWhereKafkasDefaultPartitionerPutsThem() {
        // murmur2 of the key's bytes, as the producer's built-in partitioner computes it
        for (String key : List.of("a", "65f0c0ffee", "another-article")) {
            int expected = org.apache.kafka.common.utils.Utils.toPositive(
                    org.apache.kafka.common.utils.Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % 6;
            assertEquals(expected, CursorFormat.partitionOf(key, 6), key);
        }
    }
}

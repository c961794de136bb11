package dev.conduit.support.live;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a resume reads back comes in the order it was written, and each partition in its own order. */
class ReplayOrderTest {

    private static LiveHub.Timed at(long timestamp, int partition, long offset) {
        return new LiveHub.Timed(timestamp, new LiveRecord(partition, offset, "k", "T", "{}", null));
    }

    @Test
    void partitionsInterleaveByTimeAndKeepTheirOwnOrder() {
        ArrayDeque<LiveHub.Timed> zero = new ArrayDeque<>(List.of(at(10, 0, 5), at(30, 0, 6), at(31, 0, 7)));
        // a clock that went back within a partition: its order still wins
        ArrayDeque<LiveHub.Timed> one = new ArrayDeque<>(List.of(at(20, 1, 1), at(15, 1, 2), at(40, 1, 3)));
        List<String> order = LiveHub.interleave(List.of(zero, one)).stream()
                .map(r -> r.partition() + "@" + r.offset()).toList();
        assertEquals(List.of("0@5", "1@1", "1@2", "0@6", "0@7", "1@3"), order);
    }
}

package dev.conduit.localstack.mongo;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupCommitTest {

    private static final int THREADS = 8;
    private static final int WRITES = 300;

    @Test
    void aWriterReturnsOnlyAfterACommitThatSawItsChangeAndConcurrentWritersShareCommits() throws Exception {
        AtomicLong applied = new AtomicLong();
        AtomicLong durableUpTo = new AtomicLong();
        GroupCommit groupCommit = new GroupCommit(() -> {
            long upTo = applied.get(); // what this commit makes durable: every change applied before it began
            LockSupport.parkNanos(200_000); // the write and fsync
            durableUpTo.set(upTo);
        });
        AtomicInteger violations = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread writer = new Thread(() -> {
                for (int i = 0; i < WRITES; i++) {
                    long mine = applied.incrementAndGet();
                    groupCommit.awaitDurable();
                    if (durableUpTo.get() < mine) {
                        violations.incrementAndGet();
                    }
                }
            });
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join();
        }
        assertEquals(0, violations.get(), "a writer returned before its change was committed");
        assertEquals(THREADS * WRITES, groupCommit.requests());
        assertTrue(groupCommit.commits() < groupCommit.requests(),
                "no commit was shared: " + groupCommit.commits() + " commits for " + groupCommit.requests() + " writes");
    }

    @Test
    void aFailedCommitFailsItsWriterAndTheNextWriterCommitsAgain() {
        AtomicBoolean fail = new AtomicBoolean(true);
        AtomicInteger runs = new AtomicInteger();
        GroupCommit groupCommit = new GroupCommit(() -> {
            runs.incrementAndGet();
            if (fail.get()) {
                throw new IllegalStateException("disk full");
            }
        });
        assertThrows(IllegalStateException.class, groupCommit::awaitDurable);
        fail.set(false);
        groupCommit.awaitDurable();
        assertEquals(2, runs.get());
        assertEquals(1, groupCommit.commits());
    }
}

package dev.conduit.localstack.mongo;

import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurableH2BackendTest {

    /**
     * Dead chunks are reused after a second when every commit is fsynced; without fsync H2's own
     * 45 s stays, since only then may the disk still hold a write in its buffers.
     */
    @Test
    void deadChunksAreKeptOnlyAsLongAsTheirWritesMayBeUnflushed(@TempDir Path dir) {
        int h2Default = retention(new MVStore.Builder().fileName(dir.resolve("plain.mv").toString()).open());
        assertEquals(45_000, h2Default);

        DurableH2Backend fsynced = DurableH2Backend.open(dir.resolve("fsync.mv"), Durability.FSYNC);
        DurableH2Backend written = DurableH2Backend.open(dir.resolve("write.mv"), Durability.WRITE);
        try {
            assertEquals(DurableH2Backend.FSYNCED_RETENTION_MS, fsynced.getMvStore().getRetentionTime());
            assertEquals(h2Default, written.getMvStore().getRetentionTime());
        } finally {
            fsynced.close();
            written.close();
        }
    }

    private static int retention(MVStore store) {
        try {
            return store.getRetentionTime();
        } finally {
            store.close();
        }
    }
}

package dev.conduit.localstack.mongo;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

import java.nio.file.Path;

/**
 * mongo-java-server's H2 MVStore backend, made to answer a modifying command only once its changes
 * are in the file (and, with {@link Durability#FSYNC}, on the disk): an acknowledged write then
 * survives {@code kill -9} of the server.
 *
 * <p>Why it is needed: {@link H2Backend} leaves committing to the MVStore's background writer, which
 * stores about once a second, so an answered write can live only in memory for up to a second.
 *
 * <p>How: every command reaches the backend through {@link #handleCommand} (OP_MSG through
 * {@code handleMessage}, legacy OP_QUERY {@code $cmd} directly), and mongo-java-server sends the
 * answer only when that method returns. For a command that is not a read ({@link Commands}), this
 * class commits the MVStore there, through a {@link GroupCommit} so that concurrent writers share one
 * commit. Reads never wait. The background writer stays on: it still does H2's housekeeping
 * (compacting chunks with a low fill rate) and covers writes made by reads (a database opened by a
 * query).
 */
public final class DurableH2Backend extends H2Backend {

    /** H2's own default for its SQL engine ({@code MAX_COMPACT_TIME}). */
    static final int COMPACT_ON_CLOSE_MS = 200;

    /**
     * How long a chunk that no longer holds live data is kept before its space is reused, when every
     * commit is fsynced. H2 keeps such chunks for 45 s by default because it assumes the disk may
     * take that long to flush its write buffers; with {@link Durability#FSYNC} each commit is forced to
     * the disk before the write is answered, so that assumption does not apply. With one commit per
     * acknowledged write, 45 s of dead chunks made the file five times larger: 388 MB against 74 MB
     * after 20,000 article creates (local-stack MongoDB-wire server, 16 writers).
     */
    static final int FSYNCED_RETENTION_MS = 1_000;

    private final MVStore store;
    private final Durability durability;
    private final GroupCommit groupCommit;
    /** The store version last forced to disk; only touched inside the group commit (one thread at a time). */
    private long syncedVersion = -1;

    public DurableH2Backend(MVStore store, Durability durability) {
        super(store);
        this.store = store;
        this.durability = durability;
        this.groupCommit = new GroupCommit(this::commitAndWrite);
        if (durability == Durability.FSYNC) {
            store.setRetentionTime(FSYNCED_RETENTION_MS);
        }
    }

    /**
     * Opens (or creates) the H2 file with mongo-java-server's own settings (H2 defaults), but for the
     * retention of dead chunks under {@link Durability#FSYNC} ({@link #FSYNCED_RETENTION_MS}).
     */
    public static DurableH2Backend open(Path file, Durability durability) {
        MVStore store = new MVStore.Builder().fileName(file.toString()).open();
        try {
            return new DurableH2Backend(store, durability);
        } catch (RuntimeException | Error e) {
            store.closeImmediately();
            throw e;
        }
    }

    /** Collections whose lookups use an index where the query pins its fields ({@link IndexPlanner}). */
    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return PlannedH2Database.open(databaseName, getMvStore(), getCursorRegistry());
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        if (durability == Durability.OFF || Commands.isRead(command, query)) {
            return super.handleCommand(channel, databaseName, command, query);
        }
        try {
            return super.handleCommand(channel, databaseName, command, query);
        } finally {
            // also after a failure: an ordered insert that hit a duplicate key has stored the documents
            // before it, and the client may act on the part of the batch the error reports as written
            groupCommit.awaitDurable();
        }
    }

    /**
     * Makes every change applied before the call durable. {@code commit()} stores what is unsaved and
     * waits for its write; but the background writer may already have taken those changes into a store
     * of its own that it hands to H2's serialization and save executors without waiting, in which case
     * {@code commit()} finds nothing unsaved and returns at once. Running an (empty) file-store
     * operation waits for both executors to drain, so on return every stored version is in the file.
     */
    private void commitAndWrite() {
        store.commit();
        long[] written = new long[1];
        store.executeFilestoreOperation(() -> written[0] = store.getCurrentVersion());
        if (durability == Durability.FSYNC && written[0] != syncedVersion) {
            store.sync();
            syncedVersion = written[0];
        }
    }

    public Durability durability() {
        return durability;
    }

    /** Commits run so far (fewer than {@link #writeRequests()} when writers shared commits). */
    public long commits() {
        return groupCommit.commits();
    }

    public long writeRequests() {
        return groupCommit.requests();
    }

    /**
     * Clean shutdown: what is unsaved reaches the disk before H2 closes the file (which does not
     * fsync); then H2 compacts for at most {@value #COMPACT_ON_CLOSE_MS} ms, as H2's SQL engine does on
     * close: one chunk per acknowledged write leaves more dead space than one chunk a second did, and
     * H2 only reuses it after its 45 s retention time.
     */
    @Override
    public void close() {
        if (!store.isClosed()) {
            try {
                store.commit();
                store.sync();
                store.close(COMPACT_ON_CLOSE_MS);
            } catch (RuntimeException e) {
                // super.close() closes the store again and reports a broken one itself
            }
        }
        super.close();
        // one line in the server's log: how well concurrent writers shared commits
        System.out.println("mongo: " + writeRequests() + " modifying commands, " + commits() + " commits");
    }

    @Override
    public String toString() {
        return super.toString() + "[durability=" + durability + "]";
    }
}

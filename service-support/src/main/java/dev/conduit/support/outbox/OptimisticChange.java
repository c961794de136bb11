package dev.conduit.support.outbox;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoSocketException;
import dev.conduit.support.error.ApiException;
import io.smallrye.mutiny.Uni;
import org.bson.conversions.Bson;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Optimistic read-modify-write of one versioned document: the change is decided on the version
 * read and written only if nobody changed the document in between (the writer's filter on the
 * version); otherwise it is decided again, a bounded number of times, and then answered with a
 * clean 409 in the error envelope, never a 500. Under contention every round lets at least one
 * writer through.
 */
public final class OptimisticChange {

    /**
     * The updates of one change, the event it appends in the same write (null for none) and a
     * guard (null for none): a filter restating what the decision relied on, which the write
     * checks together with the version. On MongoDB the version alone settles it, as a read sees
     * one whole document; the embedded imitation can hand out a document while another write is
     * half-way through it (the new version with an older field), and the guard keeps a decision
     * taken on such a read from being written, e.g. counting one favorite twice.
     */
    public record Change(List<Bson> updates, PendingEvent event, Bson guard) {

        public Change(List<Bson> updates, PendingEvent event) {
            this(updates, event, null);
        }
    }

    /** Writes {@code change} if {@code current} is still the stored version; true when it was. */
    @FunctionalInterface
    public interface Writer<D> {
        Uni<Boolean> write(D current, Change change);
    }

    /** How often one read or write is repeated after the connection to MongoDB broke under it. */
    private static final int CONNECTION_RETRIES = 2;

    private OptimisticChange() {
    }

    /**
     * @param read    loads the document; fails (e.g. 404) when it is gone
     * @param decide  the change to make, or null when there is nothing to do
     * @return the document as it is afterwards
     */
    public static <D> Uni<D> apply(Supplier<Uni<D>> read, Function<D, Change> decide, Writer<D> write, int maxAttempts,
                                   String conflictMessage) {
        return decideAndWrite(read, decide, write::write, maxAttempts, conflictMessage);
    }

    /**
     * {@link #apply} for a change of the caller's own shape, e.g. one that appends more than one
     * event in its write.
     */
    public static <D, C> Uni<D> decideAndWrite(Supplier<Uni<D>> read, Function<D, C> decide,
                                               BiFunction<D, C, Uni<Boolean>> write, int maxAttempts, String conflictMessage) {
        return attempt(read, decide, write, maxAttempts, conflictMessage, 1);
    }

    private static <D, C> Uni<D> attempt(Supplier<Uni<D>> read, Function<D, C> decide, BiFunction<D, C, Uni<Boolean>> write,
                                         int maxAttempts, String conflictMessage, int attempt) {
        return resilient(read).chain(current -> {
            C change = decide.apply(current);
            if (change == null) {
                return Uni.createFrom().item(current);
            }
            return resilient(() -> write.apply(current, change)).chain(applied -> {
                if (applied) {
                    return resilient(read);
                }
                if (attempt >= maxAttempts) {
                    return Uni.createFrom().failure(new ApiException(409, conflictMessage));
                }
                return attempt(read, decide, write, maxAttempts, conflictMessage, attempt + 1);
            });
        });
    }

    /**
     * {@code step}, repeated if the connection broke under it. The embedded imitation drops a
     * connection when a document it is sending is changed meanwhile, and the driver then clears
     * its pool, failing the operations waiting for a connection too. Repeating is safe here: a read
     * changes nothing, and a write that landed before its answer was lost no longer matches its
     * version, so it counts as a conflict and the change is decided again on what is stored.
     */
    private static <T> Uni<T> resilient(Supplier<Uni<T>> step) {
        return Uni.createFrom().<T>deferred(step::get)
                .onFailure(OptimisticChange::connectionLost).retry().atMost(CONNECTION_RETRIES);
    }

    private static boolean connectionLost(Throwable failure) {
        return failure instanceof MongoSocketException || failure instanceof MongoConnectionPoolClearedException;
    }
}

package dev.conduit.support.outbox;

import dev.conduit.support.error.ApiException;
import io.smallrye.mutiny.Uni;
import org.bson.conversions.Bson;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Optimistic read-modify-write of one versioned document: the change is decided on the version
 * read and written only if nobody changed the document in between (the writer's filter on the
 * version); otherwise it is decided again, a bounded number of times. Under contention every
 * round lets at least one writer through.
 */
public final class OptimisticChange {

    /** The updates of one change and the event it appends in the same write (null for none). */
    public record Change(List<Bson> updates, PendingEvent event) {
    }

    /** Writes {@code change} if {@code current} is still the stored version; true when it was. */
    @FunctionalInterface
    public interface Writer<D> {
        Uni<Boolean> write(D current, Change change);
    }

    private OptimisticChange() {
    }

    /**
     * @param read    loads the document; fails (e.g. 404) when it is gone
     * @param decide  the change to make, or null when there is nothing to do
     * @return the document as it is afterwards
     */
    public static <D> Uni<D> apply(Supplier<Uni<D>> read, Function<D, Change> decide, Writer<D> write, int maxAttempts,
                                   String conflictMessage) {
        return attempt(read, decide, write, maxAttempts, conflictMessage, 1);
    }

    private static <D> Uni<D> attempt(Supplier<Uni<D>> read, Function<D, Change> decide, Writer<D> write, int maxAttempts,
                                      String conflictMessage, int attempt) {
        return read.get().chain(current -> {
            Change change = decide.apply(current);
            if (change == null) {
                return Uni.createFrom().item(current);
            }
            return write.write(current, change).chain(applied -> {
                if (applied) {
                    return read.get();
                }
                if (attempt >= maxAttempts) {
                    return Uni.createFrom().failure(new ApiException(409, conflictMessage));
                }
                return attempt(read, decide, write, maxAttempts, conflictMessage, attempt + 1);
            });
        });
    }
}

package dev.conduit.user.repository;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import dev.conduit.support.outbox.PendingEvent;
import dev.conduit.user.UserDocument;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.panache.reactive.ReactivePanacheMongoRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Queries on {@code users}; the rules live in the service. */
@ApplicationScoped
public class UserRepository implements ReactivePanacheMongoRepository<UserDocument> {

    public static final String EMAIL_INDEX = "emailKey_unique";
    public static final String USERNAME_INDEX = "usernameKey_unique";

    /** Unique indexes make uniqueness hold under racing registrations, not a prior read. */
    public Uni<Void> createIndexes() {
        return mongoCollection().createIndex(Indexes.ascending("emailKey"), new IndexOptions().unique(true).name(EMAIL_INDEX))
                .chain(() -> mongoCollection().createIndex(Indexes.ascending("usernameKey"),
                        new IndexOptions().unique(true).name(USERNAME_INDEX)))
                .replaceWithVoid();
    }

    public Uni<UserDocument> findByEmail(String email) {
        return mongoCollection().find(Filters.eq("emailKey", UserDocument.key(email)), new FindOptions().limit(1)).collect().first();
    }

    public Uni<UserDocument> findByUsername(String username) {
        return mongoCollection().find(Filters.eq("usernameKey", UserDocument.key(username)), new FindOptions().limit(1)).collect().first();
    }

    /**
     * Applies {@code changes} and appends {@code events} (each carrying the next version, in order;
     * may be empty) in one atomic update, only if the document is still at {@code expectedVersion}
     * and matches {@code guard} (null for none). The document's version becomes its last event's
     * (or the next one). False when someone else changed it first.
     */
    public Uni<Boolean> update(ObjectId id, long expectedVersion, List<Bson> changes, List<PendingEvent> events, Bson guard) {
        List<Bson> all = new ArrayList<>(changes);
        all.add(Updates.set("version", expectedVersion + Math.max(1, events.size())));
        all.add(Updates.set("updatedAt", Instant.now()));
        if (!events.isEmpty()) {
            all.add(Updates.pushEach("pendingEvents", events));
        }
        Bson filter = Filters.and(Filters.eq("_id", id), Filters.eq("version", expectedVersion));
        return mongoCollection()
                .updateOne(guard == null ? filter : Filters.and(filter, guard), Updates.combine(all))
                .map(result -> result.getMatchedCount() == 1);
    }

    /** The account's token cut-off, reading that one field. */
    public Uni<Instant> tokensValidAfter(ObjectId id) {
        return mongoCollection().find(Filters.eq("_id", id), new FindOptions().projection(Projections.include("tokensValidAfter")))
                .collect().first()
                .map(user -> user == null ? null : user.tokensValidAfter);
    }

    /** Which unique index a duplicate-key failure hit, or null if it is no such failure. */
    public static String duplicateIndex(Throwable failure) {
        if (failure instanceof MongoWriteException e && e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
            String message = e.getError().getMessage();
            if (message.contains(EMAIL_INDEX) || message.contains("emailKey")) {
                return EMAIL_INDEX;
            }
            if (message.contains(USERNAME_INDEX) || message.contains("usernameKey")) {
                return USERNAME_INDEX;
            }
            return "unknown";
        }
        return null;
    }
}

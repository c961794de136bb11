package dev.conduit.comment.repository;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.conduit.comment.CommentDocument;
import dev.conduit.support.outbox.OutboxRelay;
import dev.conduit.support.outbox.PendingEvent;
import io.quarkus.mongodb.panache.reactive.ReactivePanacheMongoRepositoryBase;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.mongodb.FindOptions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.List;

/** Queries on {@code comments} and the id sequence in {@code counters}; the rules live in the service. */
@ApplicationScoped
public class CommentRepository implements ReactivePanacheMongoRepositoryBase<CommentDocument, Long> {

    public static final String ARTICLE_INDEX = "articleId_id";
    private static final String COUNTERS = "counters";
    private static final String SEQUENCE = "comments";

    public Uni<Void> createIndexes() {
        return mongoCollection().createIndex(Indexes.ascending("articleId", "_id"), new IndexOptions().name(ARTICLE_INDEX))
                .replaceWithVoid();
    }

    /**
     * The next comment id: one atomic increment of the sequence. The value is taken from the
     * document as it was before the increment, plus one: MongoDB hands that out once, and the
     * embedded imitation copies the old document under its lock but serialises the new one after
     * releasing it, so a racing increment can show two writers the same "after" value (measured:
     * 24 of 3000 concurrent draws), never the same "before" value.
     */
    public Uni<Long> nextId() {
        return mongoDatabase().getCollection(COUNTERS)
                .findOneAndUpdate(Filters.eq("_id", SEQUENCE), Updates.inc("seq", 1L),
                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.BEFORE))
                // no document before: this increment created the sequence at 1
                .map(before -> before == null ? 1L : ((Number) before.get("seq")).longValue() + 1);
    }

    /** Whether {@code failure} is an insert that met a comment already stored under its id. */
    public static boolean isDuplicateId(Throwable failure) {
        return failure instanceof MongoWriteException e && e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY
                && e.getError().getMessage().contains("_id_");
    }

    /** The article's comments that are not deleted, oldest first. */
    /**
     * One page of an article's live comments, oldest first, without their outbox: bounded in
     * memory and time whatever the number of comments (index {@code articleId_id}).
     */
    public Uni<List<CommentDocument>> listLive(String articleId, int offset, int limit) {
        return mongoCollection().find(Filters.and(Filters.eq("articleId", articleId), Filters.eq("deleted", false)),
                        new FindOptions().projection(Projections.exclude(OutboxRelay.PENDING, "relayLease"))
                                .sort(Sorts.ascending("_id")).skip(offset).limit(limit))
                .collect().asList();
    }

    /**
     * Marks the comment deleted and appends its event in one atomic update, only if it is still live
     * at {@code expectedVersion}. False when it changed or went first.
     */
    public Uni<Boolean> markDeleted(long id, long expectedVersion, PendingEvent event) {
        Instant now = Instant.now();
        Bson filter = Filters.and(Filters.eq("_id", id), Filters.eq("version", expectedVersion), Filters.eq("deleted", false));
        return mongoCollection()
                .updateOne(filter, Updates.combine(Updates.set("deleted", true), Updates.set("version", expectedVersion + 1),
                        Updates.set("updatedAt", now), Updates.push(OutboxRelay.PENDING, event)))
                .map(result -> result.getMatchedCount() == 1);
    }
}

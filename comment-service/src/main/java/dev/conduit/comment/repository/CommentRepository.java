package dev.conduit.comment.repository;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.conduit.comment.CommentDocument;
import dev.conduit.support.outbox.OutboxRelay;
import dev.conduit.support.outbox.PendingEvent;
import io.quarkus.mongodb.panache.reactive.ReactivePanacheMongoRepositoryBase;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.panache.common.Sort;
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

    /** The next comment id: one atomic increment, so racing writers never share an id. */
    public Uni<Long> nextId() {
        return mongoDatabase().getCollection(COUNTERS)
                .findOneAndUpdate(Filters.eq("_id", SEQUENCE), Updates.inc("seq", 1L),
                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER))
                .map(counter -> ((Number) counter.get("seq")).longValue());
    }

    /** The article's comments that are not deleted, oldest first. */
    public Uni<List<CommentDocument>> listLive(String articleId) {
        return list("articleId = ?1 and deleted = ?2", Sort.ascending("_id"), articleId, false);
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

    /** Removes tombstones whose events are all out: {@code id} only, or every one when id is null. */
    public Uni<Void> purgeTombstones(Long id) {
        Bson done = Filters.and(Filters.eq("deleted", true), Filters.exists(OutboxRelay.PENDING + ".0", false));
        return mongoCollection().deleteMany(id == null ? done : Filters.and(Filters.eq("_id", id), done)).replaceWithVoid();
    }

    /** The raw collection, for the outbox relay. */
    public ReactiveMongoCollection<Document> documents() {
        return mongoDatabase().getCollection(mongoCollection().getNamespace().getCollectionName());
    }
}

package dev.conduit.comment.readmodel;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.panache.reactive.ReactivePanacheMongoRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** Queries on the {@code articles} read model. */
@ApplicationScoped
public class ArticleRepository implements ReactivePanacheMongoRepositoryBase<ArticleDocument, String> {

    public Uni<Void> createIndexes() {
        // not unique: while events of a rename are in flight two articles may claim one slug here
        return mongoCollection().createIndex(Indexes.ascending("slug"), new IndexOptions().name("slug"))
                .replaceWithVoid();
    }

    /** The live article under {@code slug}; the most recently changed one if two claim it. */
    public Uni<ArticleDocument> findLiveBySlug(String slug) {
        return mongoCollection().find(Filters.and(Filters.eq("slug", slug), Filters.eq("deleted", false)),
                        new FindOptions().sort(Sorts.descending("changedAt")).limit(1))
                .collect().first();
    }

    /**
     * Stores the article's state at {@code version} in one atomic conditional upsert, only when the
     * held version is older. When a newer one is held the filter misses, the upsert collides with
     * the existing id, and that is the no-op.
     */
    public Uni<Void> upsertIfNewer(String id, long version, String slug, String authorId, boolean deleted, Instant changedAt) {
        return mongoCollection()
                .updateOne(Filters.and(Filters.eq("_id", id), Filters.lt("version", version)),
                        Updates.combine(Updates.set("slug", slug), Updates.set("authorId", authorId),
                                Updates.set("deleted", deleted), Updates.set("changedAt", changedAt),
                                Updates.set("version", version)),
                        new UpdateOptions().upsert(true))
                .replaceWithVoid()
                .onFailure(ArticleRepository::isDuplicateKey).recoverWithNull();
    }

    /**
     * Counts one more comment write on the article (after the write, before its answer): pages of its
     * comments cached in any instance no longer match ({@code CommentPages}).
     */
    public Uni<Void> bumpComments(String id) {
        return mongoCollection().updateOne(Filters.eq("_id", id), Updates.inc("commentsVersion", 1L)).replaceWithVoid();
    }

    /** Deleting is final whatever version is held: the article never comes back. */
    public Uni<Void> markDeleted(String id) {
        return mongoCollection().updateOne(Filters.eq("_id", id), Updates.set("deleted", true)).replaceWithVoid();
    }

    private static boolean isDuplicateKey(Throwable e) {
        return e instanceof MongoWriteException w && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }
}

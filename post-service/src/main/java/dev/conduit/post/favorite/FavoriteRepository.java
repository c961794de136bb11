package dev.conduit.post.favorite;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.panache.reactive.ReactivePanacheMongoRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Queries and conditional changes of {@code favorites}. */
@ApplicationScoped
public class FavoriteRepository implements ReactivePanacheMongoRepositoryBase<FavoriteDocument, String> {

    public Uni<Void> createIndexes() {
        return mongoCollection().createIndex(Indexes.ascending("articleId", "active"), new IndexOptions().name("article_active"))
                .chain(() -> mongoCollection().createIndex(Indexes.ascending("userId", "active"), new IndexOptions().name("user_active")))
                .chain(() -> mongoCollection().createIndex(Indexes.ascending("pending"), new IndexOptions().name("pending").sparse(true)))
                .replaceWithVoid();
    }

    /**
     * Makes the relation {@code active} (true: favorited) if it is not already, in one conditional
     * write; returns the change time when this call changed it, null when it already was so.
     */
    public Uni<Instant> set(String articleId, String userId, boolean active) {
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        String id = FavoriteDocument.id(articleId, userId);
        var change = Updates.combine(Updates.set("articleId", articleId), Updates.set("userId", userId),
                Updates.set("active", active), Updates.set("changedAt", now), Updates.set("pending", true));
        // favoriting may create the relation; unfavoriting one that does not exist changes nothing
        return mongoCollection().updateOne(Filters.and(Filters.eq("_id", id), Filters.ne("active", active)), change,
                        new UpdateOptions().upsert(active))
                .map(result -> result.getModifiedCount() == 1 || result.getUpsertedId() != null ? now : null)
                // the upsert collides with a relation that is already in that state: nothing to do
                .onFailure(FavoriteRepository::isDuplicateKey).recoverWithNull();
    }

    /** How many users favorite the article now. */
    public Uni<Long> count(String articleId) {
        return mongoCollection().countDocuments(Filters.and(Filters.eq("articleId", articleId), Filters.eq("active", true)));
    }

    /** The change made at {@code changedAt} is on the article: no longer pending; a relation ended is removed. */
    public Uni<Void> announced(String articleId, String userId, Instant changedAt) {
        var same = Filters.and(Filters.eq("_id", FavoriteDocument.id(articleId, userId)), Filters.eq("changedAt", changedAt));
        return mongoCollection().deleteOne(Filters.and(same, Filters.eq("active", false)))
                .chain(() -> mongoCollection().updateOne(same, Updates.unset("pending")))
                .replaceWithVoid();
    }

    /** Changes not announced on their article within {@code olderThan} (a crash between the two writes). */
    public Uni<List<FavoriteDocument>> stragglers(Instant olderThan, int max) {
        return mongoCollection().find(Filters.and(Filters.eq("pending", true), Filters.lt("changedAt", olderThan)),
                new FindOptions().limit(max)).collect().asList();
    }

    /** Which of {@code articleIds} {@code userId} favorites. */
    public Uni<Set<String>> favoritedAmong(Collection<String> articleIds, String userId) {
        List<String> ids = articleIds.stream().map(a -> FavoriteDocument.id(a, userId)).toList();
        return mongoCollection().find(Filters.and(Filters.in("_id", ids), Filters.eq("active", true)),
                        new FindOptions().projection(Projections.include("articleId")))
                .map(f -> f.articleId).collect().asSet();
    }

    /** The articles {@code userId} favorites. */
    public Uni<List<String>> articlesOf(String userId) {
        return mongoCollection().find(Filters.and(Filters.eq("userId", userId), Filters.eq("active", true)),
                        new FindOptions().projection(Projections.include("articleId")))
                .map(f -> f.articleId).collect().asList();
    }

    /** Forgets the favorites of a deleted article. */
    public Uni<Void> deleteAllOf(String articleId) {
        return mongoCollection().deleteMany(Filters.eq("articleId", articleId)).replaceWithVoid();
    }

    private static boolean isDuplicateKey(Throwable e) {
        return e instanceof MongoWriteException w && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }
}

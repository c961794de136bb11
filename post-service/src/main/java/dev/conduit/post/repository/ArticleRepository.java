package dev.conduit.post.repository;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.conduit.post.ArticleDocument;
import dev.conduit.support.outbox.PendingEvent;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.panache.reactive.ReactivePanacheMongoRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Queries on {@code posts}. Every list query is an equality (or {@code $in}) on one indexed field
 * plus the newest-first sort, matching one of the compound indexes below, so a real MongoDB
 * answers a page from the index whatever the collection's size.
 */
@ApplicationScoped
public class ArticleRepository implements ReactivePanacheMongoRepository<ArticleDocument> {

    public static final String SLUG_INDEX = "slug_unique";
    /** Newest first; {@code _id} breaks ties so that pages never overlap. */
    public static final Bson NEWEST_FIRST = Sorts.descending("createdAt", "_id");
    public static final Bson LIVE = Filters.eq("deleted", false);
    /**
     * What a read never returns: the outbox and its lease (and {@code favoritedBy}, which documents
     * written before favorites had their own collection may still hold until migrated).
     */
    private static final Bson READ = Projections.exclude("favoritedBy", "pendingEvents", "relayLease");
    /** A list item has no body either. */
    private static final Bson LIST_ITEM = Projections.exclude("body", "favoritedBy", "pendingEvents", "relayLease");

    public Uni<Void> createIndexes() {
        return mongoCollection().createIndex(Indexes.ascending("slug"), new IndexOptions().unique(true).name(SLUG_INDEX))
                .chain(() -> index("deleted_createdAt", Indexes.compoundIndex(Indexes.ascending("deleted"), Indexes.descending("createdAt", "_id"))))
                .chain(() -> index("tag_createdAt", Indexes.compoundIndex(Indexes.ascending("tagList", "deleted"), Indexes.descending("createdAt", "_id"))))
                .chain(() -> index("author_createdAt", Indexes.compoundIndex(Indexes.ascending("authorId", "deleted"), Indexes.descending("createdAt", "_id"))))
                .chain(() -> index("authorName_createdAt", Indexes.compoundIndex(Indexes.ascending("authorUsernameKey", "deleted"), Indexes.descending("createdAt", "_id"))))
                .replaceWithVoid();
    }

    private Uni<String> index(String name, Bson keys) {
        return mongoCollection().createIndex(keys, new IndexOptions().name(name));
    }

    public Uni<ArticleDocument> findBySlug(String slug) {
        return mongoCollection().find(Filters.and(Filters.eq("slug", slug), LIVE), new FindOptions().projection(READ).limit(1))
                .collect().first();
    }

    /** The live articles among {@code ids} (list projection), in no particular order. */
    public Uni<List<ArticleDocument>> liveByIds(List<ObjectId> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return mongoCollection().find(Filters.and(Filters.in("_id", ids), LIVE), new FindOptions().projection(LIST_ITEM))
                .collect().asList();
    }

    /** One page, newest first, and the total number of matches. */
    public record Page(List<ArticleDocument> articles, long total) {
    }

    public Uni<Page> page(Bson filter, int offset, int limit) {
        Bson live = Filters.and(filter, LIVE);
        Uni<Long> total = mongoCollection().countDocuments(live);
        // a limit of 0 means "no limit" to MongoDB; here it means an empty page
        Uni<List<ArticleDocument>> items = limit == 0 ? Uni.createFrom().item(List.of())
                : mongoCollection().find(live, new FindOptions().projection(LIST_ITEM).sort(NEWEST_FIRST).skip(offset).limit(limit))
                        .collect().asList();
        return Uni.combine().all().unis(items, total).asTuple().map(t -> new Page(t.getItem1(), t.getItem2()));
    }

    /** Distinct author ids of live articles recorded under {@code usernameKey}. */
    public Uni<List<String>> authorIdsByRecordedName(String usernameKey) {
        return mongoCollection().distinct("authorId", Filters.and(Filters.eq("authorUsernameKey", usernameKey), LIVE), String.class)
                .collect().asList();
    }

    /**
     * The {@code limit} most used tags of live articles, most used first (ties by name). One
     * aggregation over the live articles; cached by the caller.
     */
    public Uni<List<String>> popularTags(int limit) {
        return mongoCollection().aggregate(List.of(
                        Aggregates.match(LIVE),
                        Aggregates.project(Projections.include("tagList")),
                        Aggregates.unwind("$tagList"),
                        Aggregates.group("$tagList", Accumulators.sum("uses", 1)),
                        Aggregates.sort(Sorts.orderBy(Sorts.descending("uses"), Sorts.ascending("_id"))),
                        Aggregates.limit(limit)), Document.class)
                .map(d -> d.getString("_id")).collect().asList();
    }

    /**
     * Applies {@code changes} and appends {@code event} in one atomic update if the article is still
     * live, at {@code expectedVersion} and matches {@code guard} (null for none); false when someone
     * changed it first.
     */
    public Uni<Boolean> update(ObjectId id, long expectedVersion, List<Bson> changes, PendingEvent event, Bson guard) {
        List<Bson> all = new ArrayList<>(changes);
        all.add(Updates.set("version", expectedVersion + 1));
        if (event != null) {
            all.add(Updates.push("pendingEvents", event));
        }
        List<Bson> filter = new ArrayList<>(List.of(Filters.eq("_id", id), Filters.eq("version", expectedVersion), LIVE));
        if (guard != null) {
            filter.add(guard);
        }
        return mongoCollection()
                .updateOne(Filters.and(filter), Updates.combine(all))
                .map(result -> result.getMatchedCount() == 1);
    }

    public static boolean isDuplicateSlug(Throwable failure) {
        return failure instanceof MongoWriteException e && e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY
                && e.getError().getMessage().contains("slug");
    }

    public static Instant now() {
        // millisecond precision: what MongoDB stores and what clients see are then the same instant
        return Instant.ofEpochMilli(System.currentTimeMillis());
    }
}

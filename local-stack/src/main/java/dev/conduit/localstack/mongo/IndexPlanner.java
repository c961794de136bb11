package dev.conduit.localstack.mongo;

import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Lets mongo-java-server answer a query through an index when the query pins the index's fields
 * by equality, even if it also filters on other fields.
 *
 * <p>Why: mongo-java-server uses an index only when the query's top-level keys are exactly the
 * index's keys, so {@code {_id: x, version: 3}}, {@code {$and: [{slug: s}, {deleted: false}]}} or
 * {@code {_id: x, $or: [...]}} scan and match every document of the collection, while MongoDB looks
 * the document up by its index. Every conditional write of the services (an optimistic update, the
 * outbox relay's lease) is such a query, so on the imitation its cost grew with the collection.
 *
 * <p>How: the equalities that every matching document must satisfy are collected from the
 * top-level fields and, recursively, from {@code $and}; a unique index whose fields are all among
 * them (or a single-field one queried with {@code $in}; or a non-unique {@link EqualityIndex} of a
 * field the query requires to exist) yields the candidate documents, and the
 * server's own matcher then applies the whole query to those candidates, so the answer is the same
 * as a scan's. Sort, skip, limit and projection are applied by the server as before.
 */
public final class IndexPlanner<P> {

    private final List<Index<P>> indexes = new CopyOnWriteArrayList<>();

    /** Follows the collection's indexes: call after the collection added one. */
    public void added(Index<P> index) {
        if (indexes.stream().noneMatch(known -> known.getName().equals(index.getName()))) {
            indexes.add(index);
        }
    }

    /** Follows the collection's indexes: call after the collection dropped one. */
    public void dropped(String indexName) {
        indexes.removeIf(index -> index.getName().equals(indexName));
    }

    /**
     * The positions of the documents that may match {@code query}, through the first index its
     * equalities pin; null when no index applies (the caller scans).
     */
    public Iterable<P> candidates(Document query) {
        if (indexes.isEmpty() || query == null || query.isEmpty()) {
            return null;
        }
        Map<String, Object> pinned = new LinkedHashMap<>();
        collect(query, pinned);
        if (pinned.isEmpty()) {
            return null;
        }
        for (Index<P> index : indexes) {
            List<IndexKey> keys = index.getKeys();
            Document lookup = new Document();
            for (IndexKey key : keys) {
                Object value = pinned.get(key.getKey());
                if (value == null || (keys.size() > 1 && value instanceof Document)) {
                    lookup = null;
                    break;
                }
                lookup.put(key.getKey(), value);
            }
            if (lookup != null && index.canHandle(lookup)) {
                return index.getPositions(lookup);
            }
        }
        return null;
    }

    /**
     * Adds to {@code pinned} the fields that {@code query} requires to equal one value (a plain
     * value, or {@code {$eq: v}}) or one of a list ({@code {$in: [...]}}), or to exist
     * ({@code {$exists: true}}). Nulls, arrays and
     * sub-documents compared whole are left out: their equality means more than an index lookup.
     */
    private static void collect(Document query, Map<String, Object> pinned) {
        for (Map.Entry<String, Object> entry : query.entrySet()) {
            String field = entry.getKey();
            Object value = entry.getValue();
            if (field.equals("$and") && value instanceof Collection<?> all) {
                for (Object part : all) {
                    if (part instanceof Document document) {
                        collect(document, pinned);
                    }
                }
            } else if (!field.startsWith("$")) {
                Object equal = equality(value);
                if (equal != null) {
                    pinned.putIfAbsent(field, equal);
                }
            }
        }
    }

    private static Object equality(Object value) {
        if (value == null || value instanceof Collection<?>) {
            return null;
        }
        if (!(value instanceof Document condition)) {
            return value;
        }
        if (condition.size() != 1) {
            return null;
        }
        if (Boolean.TRUE.equals(condition.get("$exists"))) {
            // answered by a non-unique index of the field (EqualityIndex), like a sparse index on MongoDB
            return condition;
        }
        if (condition.containsKey("$eq")) {
            Object equal = condition.get("$eq");
            return equal == null || equal instanceof Document || equal instanceof Collection<?> ? null : equal;
        }
        if (condition.get("$in") instanceof Collection<?> values
                && values.stream().noneMatch(v -> v == null || v instanceof Document || v instanceof Collection<?>)) {
            return condition;
        }
        return null;
    }
}

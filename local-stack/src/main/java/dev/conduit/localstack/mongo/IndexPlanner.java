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
 * (or, for a non-unique {@link EqualityIndex}, its leading fields) by equality, even if it also
 * filters on other fields, and read a sorted query in index order.
 *
 * <p>Why: mongo-java-server uses an index only when the query's top-level keys are exactly a
 * unique index's keys, and ignores non-unique indexes; so {@code {_id: x, version: 3}},
 * {@code {$and: [{slug: s}, {deleted: false}]}} or {@code {articleId: a, deleted: false}} scan and
 * match every document of the collection and sort in memory, where MongoDB reads a few index
 * entries. Every conditional write of the services (an optimistic update, the outbox relay's lease)
 * is such a query, so on the imitation their cost grew with the collection.
 *
 * <p>How: the equalities that every matching document must satisfy are collected from the
 * top-level fields and, recursively, from {@code $and}; a unique index whose fields are all among
 * them (or a single-field one queried with {@code $in}), else the non-unique index with the fewest
 * entries under the pinned prefix (preferring one that also yields the requested order when the
 * query has a limit), yields the candidate documents; the server's own matcher then applies the
 * whole query to them, so the answer is the same as a scan's. When the index yields the order,
 * the server's in-memory sort is skipped and skip/limit stop reading early.
 */
public final class IndexPlanner<P> {

    /** Candidate documents; {@code sorted} when they come in the order the query asked for. */
    public record Plan<P>(Iterable<P> positions, boolean sorted) {
    }

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
     * How the server's {@code queryDocuments} reads {@code query}: null to scan (no index applies, or
     * a {@code $natural} order); else the candidates, sorted when the index yields {@code orderBy}
     * (then the server must not sort again), enough of them for {@code skip + limit} when limited.
     */
    public Plan<P> forQuery(Document query, Document orderBy, int skip, int limit) {
        if (orderBy != null && orderBy.containsKey("$natural")) {
            return null;
        }
        return plan(query, orderBy, limit > 0 ? skip + limit : 0);
    }

    /** Whether an index can answer {@code query}. */
    public boolean plannable(Document query) {
        return plan(query, null, 0) != null;
    }

    /** {@link #coveredCount} after {@code skip} and {@code limit} (0: none); -1 when no index covers the query. */
    public int count(Document query, int skip, int limit) {
        int covered = coveredCount(query);
        if (covered < 0) {
            return -1;
        }
        int count = Math.max(0, covered - Math.max(skip, 0));
        return limit > 0 ? Math.min(limit, count) : count;
    }

    /** {@link #plan} without a sort or limit: the candidates, or null to scan. */
    public Iterable<P> candidates(Document query) {
        Plan<P> plan = plan(query, null, 0);
        return plan == null ? null : plan.positions();
    }

    /**
     * How to read {@code query} (sorted by {@code orderBy}, null for none, up to {@code limit}
     * documents, 0 for all) through an index; null when no index applies (the caller scans).
     */
    public Plan<P> plan(Document query, Document orderBy, int limit) {
        if (indexes.isEmpty() || query == null || query.isEmpty()) {
            return null;
        }
        Map<String, Object> pinned = new LinkedHashMap<>();
        collect(query, pinned);
        if (pinned.isEmpty()) {
            return null;
        }
        EqualityIndex<P> best = null;
        Document bestLookup = null;
        int bestSize = Integer.MAX_VALUE;
        int bestDirection = 0;
        for (Index<P> index : indexes) {
            if (index instanceof EqualityIndex<P> equality) {
                Document lookup = equalityLookup(equality, pinned);
                if (lookup == null) {
                    continue;
                }
                int direction = limit > 0 ? equality.sortDirection(lookup, orderBy) : 0;
                int size = equality.estimate(lookup);
                boolean better = best == null
                        || (direction != 0 && bestDirection == 0)
                        || ((direction != 0) == (bestDirection != 0) && size < bestSize);
                if (better) {
                    best = equality;
                    bestLookup = lookup;
                    bestSize = size;
                    bestDirection = direction;
                }
            } else {
                Document lookup = uniqueLookup(index, pinned);
                if (lookup != null && index.canHandle(lookup)) {
                    return new Plan<>(index.getPositions(lookup), false);
                }
            }
        }
        if (best == null) {
            return null;
        }
        return bestDirection != 0 ? new Plan<>(best.ordered(bestLookup, bestDirection), true)
                : new Plan<>(best.getPositions(bestLookup), false);
    }

    /**
     * The number of documents matching {@code query} when an index alone answers it: every condition
     * of the query is an equality on the leading fields of one {@link EqualityIndex}, so each entry
     * under that prefix is a match. -1 otherwise (the caller counts the documents it reads).
     */
    public int coveredCount(Document query) {
        query = flattened(query);
        if (query == null || query.isEmpty()) {
            return -1;
        }
        for (Index<P> index : indexes) {
            if (index instanceof EqualityIndex<P> equality && equality.pinnedPrefix(query) == query.size()
                    && equality.canHandle(query)) {
                if (!equality.multikey()) {
                    // one entry per document: the size of the prefix's entry set, read nothing
                    return equality.estimate(query);
                }
                int count = 0;
                for (P ignored : equality.getPositions(query)) {
                    count++;
                }
                return count;
            }
        }
        return -1;
    }

    /**
     * {@code query} as one document of field conditions ({@code $and} of such documents merged, as
     * the drivers write {@code Filters.and}); null when it has operators at the top or repeats a field.
     */
    private static Document flattened(Document query) {
        if (query == null) {
            return null;
        }
        Document flat = new Document();
        for (Map.Entry<String, Object> entry : query.entrySet()) {
            if (entry.getKey().equals("$and") && entry.getValue() instanceof Collection<?> parts) {
                for (Object part : parts) {
                    Document inner = part instanceof Document d ? flattened(d) : null;
                    if (inner == null) {
                        return null;
                    }
                    for (Map.Entry<String, Object> condition : inner.entrySet()) {
                        if (flat.containsKey(condition.getKey())) {
                            return null;
                        }
                        flat.put(condition.getKey(), condition.getValue());
                    }
                }
            } else if (entry.getKey().startsWith("$") || flat.containsKey(entry.getKey())) {
                return null;
            } else {
                flat.put(entry.getKey(), entry.getValue());
            }
        }
        return flat;
    }

    /** All of a unique index's fields, from the pinned values; null when one is not pinned. */
    private static <P> Document uniqueLookup(Index<P> index, Map<String, Object> pinned) {
        List<IndexKey> keys = index.getKeys();
        Document lookup = new Document();
        for (IndexKey key : keys) {
            Object value = pinned.get(key.getKey());
            if (value == null || (keys.size() > 1 && value instanceof Document)) {
                return null;
            }
            lookup.put(key.getKey(), value);
        }
        return lookup;
    }

    /** The leading fields of a non-unique index that are pinned by plain values ({@code $exists} on a single one); null for none. */
    private static <P> Document equalityLookup(EqualityIndex<P> index, Map<String, Object> pinned) {
        List<IndexKey> keys = index.getKeys();
        Document lookup = new Document();
        for (IndexKey key : keys) {
            Object value = pinned.get(key.getKey());
            if (value == null || value instanceof Document) {
                break;
            }
            lookup.put(key.getKey(), value);
        }
        if (lookup.isEmpty() && keys.size() == 1 && pinned.get(keys.get(0).getKey()) instanceof Document condition
                && condition.containsKey("$exists")) {
            lookup.put(keys.get(0).getKey(), condition);
        }
        return lookup.isEmpty() || !index.canHandle(lookup) ? null : lookup;
    }

    /**
     * Adds to {@code pinned} the fields that {@code query} requires to equal one value (a plain
     * value, or {@code {$eq: v}}) or one of a list ({@code {$in: [...]}}), or to exist
     * ({@code {$exists: true}}). Nulls, arrays and sub-documents compared whole are left out: their
     * equality means more than an index lookup.
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

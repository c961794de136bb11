package dev.conduit.localstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.QueryMatcher;
import de.bwaldvogel.mongo.bson.Document;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A non-unique index for mongo-java-server, which otherwise accepts such an index and ignores it
 * (every query on the field then scans the collection). It answers equality lookups
 * ({@code {field: value}}, also on an element of an array field) and, on a single field,
 * {@code {field: {$exists: true}}}; {@link IndexPlanner} hands it the part of a query it can
 * answer, and the server's matcher checks the whole query on the documents it proposes, so a
 * lookup only ever has to propose a superset of the matches. Kept in memory and rebuilt from the
 * documents when the store opens (the server builds an empty index on registration).
 */
final class EqualityIndex<P> extends Index<P> {

    private record Entry<P>(P position, Set<KeyValue> keys, boolean present) {
    }

    private static final QueryMatcher MATCHER = new DefaultQueryMatcher();
    private static final Document EXISTS = new Document("$exists", true);

    private final Map<KeyValue, Set<P>> byKey = new HashMap<>();
    private final Map<Object, Entry<P>> byId = new HashMap<>();
    private final Set<P> present = new LinkedHashSet<>();

    EqualityIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
    }

    @Override
    public synchronized P getPosition(Document document) {
        Entry<P> entry = byId.get(document.get("_id"));
        return entry == null ? null : entry.position();
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        // not unique: nothing to refuse
    }

    @Override
    public synchronized void add(Document document, P position, MongoCollection<P> collection) {
        Set<KeyValue> keys = getKeyValues(document);
        // the server's own matcher decides, so the index agrees with a scan on arrays and nulls
        boolean has = getKeys().stream().anyMatch(key -> MATCHER.matches(document, new Document(key.getKey(), EXISTS)));
        Entry<P> previous = byId.put(document.get("_id"), new Entry<>(position, keys, has));
        if (previous != null) {
            forget(previous);
        }
        keys.forEach(key -> byKey.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(position));
        if (has) {
            present.add(position);
        }
    }

    @Override
    public synchronized P remove(Document document) {
        Entry<P> entry = byId.remove(document.get("_id"));
        if (entry == null) {
            return null;
        }
        forget(entry);
        return entry.position();
    }

    private void forget(Entry<P> entry) {
        for (KeyValue key : entry.keys()) {
            Set<P> positions = byKey.get(key);
            if (positions != null && positions.remove(entry.position()) && positions.isEmpty()) {
                byKey.remove(key);
            }
        }
        present.remove(entry.position());
    }

    @Override
    public synchronized boolean canHandle(Document query) {
        if (!query.keySet().equals(Set.copyOf(keys()))) {
            return false;
        }
        if (keys().size() == 1 && isExistsTrue(query.get(keys().get(0)))) {
            return true;
        }
        return query.values().stream().allMatch(v -> v != null && !(v instanceof Document) && !(v instanceof Collection<?>));
    }

    @Override
    public synchronized Iterable<P> getPositions(Document query) {
        if (keys().size() == 1 && isExistsTrue(query.get(keys().get(0)))) {
            return List.copyOf(present);
        }
        Set<P> found = new LinkedHashSet<>();
        for (KeyValue key : getKeyValues(query)) {
            found.addAll(byKey.getOrDefault(key, Set.of()));
        }
        return List.copyOf(found);
    }

    private static boolean isExistsTrue(Object condition) {
        return condition instanceof Document d && d.size() == 1 && Boolean.TRUE.equals(d.get("$exists"));
    }

    @Override
    public synchronized long getCount() {
        return byId.size();
    }

    @Override
    public synchronized boolean isEmpty() {
        return byId.isEmpty();
    }

    @Override
    public synchronized long getDataSize() {
        return byId.size();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        // not unique: nothing to refuse
    }

    @Override
    public synchronized void updateInPlace(Document oldDocument, Document newDocument, P position, MongoCollection<P> collection) {
        remove(oldDocument);
        add(newDocument, position, collection);
    }

    @Override
    public synchronized void drop() {
        byKey.clear();
        byId.clear();
        present.clear();
    }
}

package dev.conduit.localstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.QueryMatcher;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * A non-unique index for mongo-java-server, which otherwise accepts such an index and ignores it
 * (every query on its fields then scans the collection and sorts in memory). Like a MongoDB
 * B-tree index it answers:
 * <ul>
 *   <li>equality on a prefix of its fields ({@code {articleId: a}} on {@code (articleId, _id)};
 *       on an array field, equality with one of its elements);</li>
 *   <li>{@code {field: {$exists: true}}} on a single-field index (the relay's sweep);</li>
 *   <li>the documents of such a prefix in the order of the fields after it, ascending or
 *       descending as declared or all reversed, so a sorted, limited query reads only the
 *       documents it returns ({@link IndexPlanner#candidates}).</li>
 * </ul>
 * {@link IndexPlanner} hands it the part of a query it can answer, and the server's matcher checks
 * the whole query on the documents it proposes, so a lookup only ever has to propose a superset of
 * the matches. Kept in memory and rebuilt from the documents when the store opens (the server
 * fills an empty index on registration).
 */
final class EqualityIndex<P> extends Index<P> {

    private static final QueryMatcher MATCHER = new DefaultQueryMatcher();
    private static final Document EXISTS = new Document("$exists", true);

    /** One key of one document: its values for every field, and where the document is. */
    private record Item<P>(KeyValue key, P position) {
    }

    private record Entry<P>(P position, Set<KeyValue> keys, boolean present) {
    }

    /** Per prefix length (index 0: one field), the documents under each prefix, in index order. */
    private final List<Map<KeyValue, NavigableSet<Item<P>>>> byPrefix = new ArrayList<>();
    private final Map<Object, Entry<P>> byId = new HashMap<>();
    private final Set<P> present = new LinkedHashSet<>();
    /** Per field: whether some document held an array there (then its order is not a plain value order). */
    private final boolean[] multikey;
    /**
     * Per prefix length, the order of the documents under one prefix: the fields after the prefix,
     * then the position. The prefix's own fields are equal within its set ({@link KeyValue#equals}
     * on the values, so the server's comparator finds them equal too), and comparing them again at
     * every step of a tree insertion was the larger part of an insert into this index (JFR under the
     * create load: tree insertions were 31 of the 63 samples in {@code add}).
     */
    private final List<Comparator<Item<P>>> orders = new ArrayList<>();
    /** The field of a single-field index; null on a compound one. */
    private final String single;

    EqualityIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        for (int i = 0; i < keys.size(); i++) {
            byPrefix.add(new HashMap<>());
        }
        this.multikey = new boolean[keys.size()];
        this.single = keys.size() == 1 ? keys.get(0).getKey() : null;
        List<Comparator<Object>> directions = keys.stream()
                .map(key -> (Comparator<Object>) (key.isAscending() ? ValueComparator.asc() : ValueComparator.desc())).toList();
        for (int length = 1; length <= keys.size(); length++) {
            int from = length;
            Comparator<Item<P>> after = (a, b) -> {
                for (int i = from; i < directions.size(); i++) {
                    int c = directions.get(i).compare(a.key().get(i), b.key().get(i));
                    if (c != 0) {
                        return c;
                    }
                }
                return ValueComparator.asc().compare(a.position(), b.position());
            };
            orders.add(after);
        }
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
        boolean has = presentIn(document);
        Entry<P> previous = byId.put(document.get("_id"), new Entry<>(position, keys, has));
        if (previous != null) {
            forget(previous);
        }
        for (int i = 0; i < multikey.length; i++) {
            if (Utils.getSubdocumentValueCollectionAware(document, getKeys().get(i).getKey()) instanceof Collection<?>) {
                multikey[i] = true;
            }
        }
        for (KeyValue key : keys) {
            for (int length = 1; length <= key.size(); length++) {
                Comparator<Item<P>> order = orders.get(length - 1);
                byPrefix.get(length - 1).computeIfAbsent(prefix(key, length), k -> new TreeSet<>(order)).add(new Item<>(key, position));
            }
        }
        if (has) {
            present.add(position);
        }
    }

    /**
     * Whether {@code document} has the field of a single-field index (only such an index answers
     * {@code $exists}); the server's own matcher decides, so the index agrees with a scan on arrays
     * and nulls. Always false on a compound index, which never consults it.
     */
    private boolean presentIn(Document document) {
        return single != null && MATCHER.matches(document, new Document(single, EXISTS));
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
            for (int length = 1; length <= key.size(); length++) {
                Map<KeyValue, NavigableSet<Item<P>>> level = byPrefix.get(length - 1);
                KeyValue prefix = prefix(key, length);
                NavigableSet<Item<P>> items = level.get(prefix);
                if (items != null && items.remove(new Item<>(key, entry.position())) && items.isEmpty()) {
                    level.remove(prefix);
                }
            }
        }
        present.remove(entry.position());
    }

    private static KeyValue prefix(KeyValue key, int length) {
        if (length == key.size()) {
            return key;
        }
        Object[] values = new Object[length];
        for (int i = 0; i < length; i++) {
            values[i] = key.get(i);
        }
        return new KeyValue(values);
    }

    /** How many leading fields {@code query} pins with plain values (0: none), counting from the first. */
    int pinnedPrefix(Document query) {
        int length = 0;
        for (String field : keys()) {
            Object value = query.get(field);
            if (value == null || value instanceof Document || value instanceof Collection<?>) {
                break;
            }
            length++;
        }
        return length;
    }

    /** The plain values of the first {@code length} fields in {@code query}, normalized as the index holds them. */
    private KeyValue lookup(Document query, int length) {
        return new KeyValue(keys().subList(0, length).stream().map(query::get).toList()).normalized();
    }

    @Override
    public synchronized boolean canHandle(Document query) {
        if (keys().size() == 1 && query.size() == 1 && isExistsTrue(query.get(keys().get(0)))) {
            return true;
        }
        int pinned = pinnedPrefix(query);
        return pinned > 0 && query.size() == pinned;
    }

    /** The documents whose first fields equal {@code query}'s (or, on one field, that have it), in no particular order. */
    @Override
    public synchronized Iterable<P> getPositions(Document query) {
        if (keys().size() == 1 && isExistsTrue(query.get(keys().get(0)))) {
            return List.copyOf(present);
        }
        return distinct(items(query), false);
    }

    /** How many entries {@link #getPositions} would go through (an upper bound of the documents). */
    synchronized int estimate(Document query) {
        if (keys().size() == 1 && isExistsTrue(query.get(keys().get(0)))) {
            return present.size();
        }
        return items(query).size();
    }

    private NavigableSet<Item<P>> items(Document query) {
        int length = pinnedPrefix(query);
        NavigableSet<Item<P>> items = byPrefix.get(length - 1).get(lookup(query, length));
        return items == null ? new TreeSet<>(orders.get(length - 1)) : items;
    }

    /**
     * Whether the documents of {@code query}'s pinned prefix, in index order, are sorted as
     * {@code orderBy} asks: its fields are the ones after the prefix, in order, all in the declared
     * directions ({@code 1}) or all reversed ({@code -1}); 0 when not, or when a sorted field held
     * an array.
     */
    synchronized int sortDirection(Document query, Document orderBy) {
        int pinned = pinnedPrefix(query);
        if (pinned == 0 || orderBy == null || orderBy.isEmpty() || orderBy.size() > keys().size() - pinned) {
            return 0;
        }
        int direction = 0;
        int i = pinned;
        for (Map.Entry<String, Object> sort : orderBy.entrySet()) {
            IndexKey key = getKeys().get(i);
            if (!key.getKey().equals(sort.getKey()) || !(sort.getValue() instanceof Number n) || multikey[i]) {
                return 0;
            }
            boolean ascending = n.doubleValue() > 0;
            int here = ascending == key.isAscending() ? 1 : -1;
            if (direction != 0 && here != direction) {
                return 0;
            }
            direction = here;
            i++;
        }
        return direction;
    }

    /**
     * The documents of {@code query}'s pinned prefix in index order (reversed for {@code direction}
     * -1), read lazily, so a limited page reads only what it returns. Read inside the server's query,
     * which holds the collection's lock, as every change of the collection (and so of this index) does.
     */
    synchronized Iterable<P> ordered(Document query, int direction) {
        NavigableSet<Item<P>> items = items(query);
        return distinct(direction < 0 ? items.descendingSet() : items, true);
    }

    /** Whether some document held an array in one of the fields (then one document may be several entries). */
    synchronized boolean multikey() {
        for (boolean array : multikey) {
            if (array) {
                return true;
            }
        }
        return false;
    }

    private Iterable<P> distinct(Collection<Item<P>> items, boolean lazy) {
        if (!lazy) {
            Set<P> positions = new LinkedHashSet<>();
            items.forEach(item -> positions.add(item.position()));
            return List.copyOf(positions);
        }
        return () -> new Iterator<>() {
            private final Iterator<Item<P>> source = items.iterator();
            private final Set<P> seen = new java.util.HashSet<>();
            private P next;

            @Override
            public boolean hasNext() {
                while (next == null && source.hasNext()) {
                    P candidate = source.next().position();
                    if (seen.add(candidate)) {
                        next = candidate;
                    }
                }
                return next != null;
            }

            @Override
            public P next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                P result = next;
                next = null;
                return result;
            }
        };
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
        Entry<P> held = byId.get(oldDocument.get("_id"));
        if (held != null && held.position().equals(position) && Objects.equals(oldDocument.get("_id"), newDocument.get("_id"))
                && held.keys().equals(getKeyValues(newDocument)) && held.present() == presentIn(newDocument)) {
            // most updates leave an index's fields alone (a version, a count, the outbox): its
            // entries, their order and the multikey flags stay right, and re-sorting them into
            // every prefix's tree was most of the store's CPU under a write load
            return;
        }
        remove(oldDocument);
        add(newDocument, position, collection);
    }

    @Override
    public synchronized void drop() {
        byPrefix.forEach(Map::clear);
        byId.clear();
        present.clear();
    }
}

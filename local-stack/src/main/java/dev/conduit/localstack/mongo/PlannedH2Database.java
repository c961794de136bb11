package dev.conduit.localstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.util.List;

/**
 * mongo-java-server's H2 database whose collections look documents up through {@link IndexPlanner},
 * with every index in memory (the documents are what the file keeps).
 * The store layout (map names) is H2Database's own, so a data file written before reads the same;
 * documents are written as BSON ({@link BsonDocumentType}), which also reads the Java-serialized
 * ones of such a file.
 */
final class PlannedH2Database extends H2Database {

    /** H2Database's map name prefixes (package-private there). */
    private static final String DATA_PREFIX = "databases.";
    private static final String META_PREFIX = "meta.";

    /**
     * Set before H2Database's constructor opens the existing collections (which calls
     * {@link #openOrCreateCollection} before this class's fields are assigned).
     */
    private static final ThreadLocal<MVStore> OPENING = new ThreadLocal<>();

    private MVStore store;

    private PlannedH2Database(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
        super(databaseName, store, cursorRegistry);
        this.store = store;
    }

    static PlannedH2Database open(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
        OPENING.set(store);
        try {
            return new PlannedH2Database(databaseName, store, cursorRegistry);
        } finally {
            OPENING.remove();
        }
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        MVStore mvStore = store != null ? store : OPENING.get();
        String fullName = getFullCollectionNamespace(collectionName);
        MVMap<Object, Document> dataMap = mvStore.openMap(DATA_PREFIX + fullName,
                new MVMap.Builder<Object, Document>().valueType(new BsonDocumentType()));
        MVMap<String, Object> metaMap = mvStore.openMap(META_PREFIX + fullName);
        return new Collection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
    }

    /**
     * {@code countDocuments} through the collection's count ({@link CountCommand}); an aggregation
     * whose first {@code $match} an index answers, on what it finds ({@link MatchFirstAggregation}).
     */
    @Override
    public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver databaseResolver, Oplog oplog) {
        Document answer = PlannedCommands.answer(this, command, query, databaseResolver, oplog);
        return answer != null ? answer : super.handleCommand(channel, command, query, databaseResolver, oplog);
    }

    /**
     * A unique index held in memory ({@link InMemoryUniqueIndex}) instead of an H2 map, rebuilt from
     * the documents when the file opens; index maps a data file holds from before are left unused.
     */
    @Override
    protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        return new InMemoryUniqueIndex(indexName, keys, sparse);
    }

    /** A non-unique index is kept ({@link EqualityIndex}) instead of ignored. */
    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        return new EqualityIndex<>(indexName, keys, sparse);
    }

    private static final class Collection extends H2Collection implements PlannedCommands.Planned {

        private final IndexPlanner<Object> planner = new IndexPlanner<>();

        Collection(H2Database database, String collectionName, CollectionOptions options, MVMap<Object, Document> dataMap,
                   MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
            super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        }

        @Override
        public void addIndex(Index<Object> index) {
            super.addIndex(index);
            planner.added(index);
        }

        @Override
        public void dropIndex(String indexName) {
            super.dropIndex(indexName);
            planner.dropped(indexName);
        }

        @Override
        public IndexPlanner<?> planner() {
            return planner;
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                             Document fieldSelector) {
            IndexPlanner.Plan<Object> plan = planner.forQuery(query, orderBy, numberToSkip, limit);
            return plan == null ? super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector)
                    : matchDocuments(query, plan.positions(), plan.sorted() ? null : orderBy, numberToSkip, limit, batchSize,
                            fieldSelector);
        }

        @Override
        public synchronized int count(Document query, int skip, int limit) {
            int covered = planner.count(query, skip, limit);
            return covered >= 0 ? covered : super.count(query, skip, limit);
        }
    }
}

package dev.conduit.localstack.mongo;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;

import java.util.List;

/** mongo-java-server's in-memory database whose collections look documents up through {@link IndexPlanner}. */
final class PlannedMemoryDatabase extends MemoryDatabase {

    PlannedMemoryDatabase(String databaseName, CursorRegistry cursorRegistry) {
        super(databaseName, cursorRegistry);
    }

    @Override
    protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
        return new Collection(this, collectionName, options, cursorRegistry);
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

    /** A non-unique index is kept ({@link EqualityIndex}) instead of ignored. */
    @Override
    protected Index<Integer> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        return new EqualityIndex<>(indexName, keys, sparse);
    }

    private static final class Collection extends MemoryCollection implements PlannedCommands.Planned {

        private final IndexPlanner<Integer> planner = new IndexPlanner<>();

        Collection(MemoryDatabase database, String collectionName, CollectionOptions options, CursorRegistry cursorRegistry) {
            super(database, collectionName, options, cursorRegistry);
        }

        @Override
        public void addIndex(Index<Integer> index) {
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
            IndexPlanner.Plan<Integer> plan = planner.forQuery(query, orderBy, numberToSkip, limit);
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

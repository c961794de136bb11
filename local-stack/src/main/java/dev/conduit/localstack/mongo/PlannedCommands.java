package dev.conduit.localstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.AbstractMongoDatabase;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * The commands both planned databases (H2 and in-memory) answer themselves before the server's own
 * handling: {@code countDocuments} through the collection's count ({@link CountCommand}), and an
 * aggregation whose first {@code $match} an index answers, on what it finds ({@link MatchFirstAggregation}).
 */
final class PlannedCommands {

    /** A collection whose lookups go through an {@link IndexPlanner}. */
    interface Planned {
        IndexPlanner<?> planner();
    }

    private PlannedCommands() {
    }

    /** The answer, or null for the server's own handling. */
    static Document answer(AbstractMongoDatabase<?> database, String command, Document query, DatabaseResolver resolver,
                           Oplog oplog) {
        Document count = CountCommand.answer(database.getDatabaseName(), command, query,
                name -> database.resolveCollection(name, false));
        if (count != null || !"aggregate".equalsIgnoreCase(command) || !(query.get(command) instanceof String name)) {
            return count;
        }
        MongoCollection<?> collection = database.resolveCollection(name, false);
        return collection instanceof Planned planned
                ? MatchFirstAggregation.answer(database, command, query, resolver, oplog, collection, planned.planner()::plannable)
                : null;
    }
}

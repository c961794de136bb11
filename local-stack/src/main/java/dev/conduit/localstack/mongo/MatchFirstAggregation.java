package dev.conduit.localstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An aggregation that starts with a {@code $match} an index can answer: mongo-java-server feeds
 * every aggregation all documents of the collection; this feeds it only what the {@code $match}
 * finds through {@link IndexPlanner} (the whole pipeline, {@code $match} included, still runs on
 * them), as MongoDB does. Example: the outbox backlog gauges, every few seconds, on the sparse
 * pending-events index. Anything else, or any error, goes the server's own way.
 */
final class MatchFirstAggregation {

    /** Stages that write, watch or describe the collection rather than read its documents. */
    private static final Set<String> NOT_PLAIN = Set.of("$out", "$merge", "$changeStream", "$collStats", "$indexStats",
            "$geoNear", "$currentOp", "$listSessions", "$planCacheStats");

    private MatchFirstAggregation() {
    }

    static Document answer(MongoDatabase database, String command, Document query, DatabaseResolver resolver, Oplog oplog,
                           MongoCollection<?> collection, Predicate<Document> plannable) {
        if (!"aggregate".equalsIgnoreCase(command) || collection == null || !(query.get("pipeline") instanceof List<?> stages)
                || stages.isEmpty() || !(stages.get(0) instanceof Document first) || first.size() != 1
                || !(first.get("$match") instanceof Document match) || !plannable.test(match)) {
            return null;
        }
        for (Object stage : stages) {
            if (!(stage instanceof Document d) || d.keySet().stream().anyMatch(NOT_PLAIN::contains)) {
                return null;
            }
        }
        try {
            @SuppressWarnings("unchecked")
            List<Document> pipeline = (List<Document>) stages;
            Aggregation aggregation = Aggregation.fromPipeline(pipeline, resolver, database, collection, oplog);
            aggregation.validate(query);
            List<Document> result = aggregation.runStages(collection.handleQueryAsStream(match));
            Document cursor = new Document("firstBatch", result).append("id", 0L)
                    .append("ns", database.getDatabaseName() + "." + collection.getCollectionName());
            return new Document("cursor", cursor).append("ok", 1.0);
        } catch (RuntimeException e) {
            // the server's own path answers, with its own error if there is one
            return null;
        }
    }
}

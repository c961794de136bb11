package dev.conduit.localstack.mongo;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.bson.Document;

import java.util.List;

/**
 * The MongoDB drivers' {@code countDocuments}: an {@code aggregate} of {@code $match}, optional
 * {@code $skip}/{@code $limit}, then {@code $group: {_id: 1, n: {$sum: 1}}}. mongo-java-server runs
 * every aggregation over all documents of the collection; this answers that shape with the
 * collection's own {@code count}, which goes through {@link IndexPlanner}.
 */
final class CountCommand {

    private CountCommand() {
    }

    /** The answer to {@code command} if it is a count, else null (the server runs it as usual). */
    static Document answer(String databaseName, String command, Document query,
                           java.util.function.Function<String, MongoCollection<?>> collections) {
        if (!"aggregate".equalsIgnoreCase(command) || !(query.get(command) instanceof String collectionName)
                || !(query.get("pipeline") instanceof List<?> pipeline) || pipeline.size() < 2 || pipeline.size() > 4) {
            return null;
        }
        if (!(pipeline.get(0) instanceof Document first) || first.size() != 1 || !(first.get("$match") instanceof Document match)) {
            return null;
        }
        int skip = 0;
        int limit = 0;
        for (Object stage : pipeline.subList(1, pipeline.size() - 1)) {
            if (!(stage instanceof Document d) || d.size() != 1) {
                return null;
            }
            if (d.get("$skip") instanceof Number n && skip == 0 && limit == 0) {
                skip = n.intValue();
            } else if (d.get("$limit") instanceof Number n && limit == 0) {
                limit = n.intValue();
            } else {
                return null;
            }
        }
        if (!(pipeline.get(pipeline.size() - 1) instanceof Document last) || last.size() != 1
                || !(last.get("$group") instanceof Document group) || group.size() != 2
                || !(group.get("_id") instanceof Number id) || id.intValue() != 1) {
            return null;
        }
        String field = group.keySet().stream().filter(k -> !k.equals("_id")).findFirst().orElseThrow();
        if (!(group.get(field) instanceof Document sum) || sum.size() != 1 || !(sum.get("$sum") instanceof Number one)
                || one.intValue() != 1 || skip < 0 || limit < 0) {
            return null;
        }
        MongoCollection<?> collection = collections.apply(collectionName);
        int count = collection == null ? 0 : collection.count(match, skip, limit);
        List<Document> batch = count == 0 ? List.of() : List.of(new Document("_id", 1).append(field, count));
        Document cursor = new Document("firstBatch", batch).append("id", 0L).append("ns", databaseName + "." + collectionName);
        return new Document("cursor", cursor).append("ok", 1.0);
    }
}

package dev.conduit.localstack.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class IndexPlannerTest {

    private static final String A = "id-a";
    private static final String B = "id-b";

    /** The planner's own decisions: which queries an index serves, and which documents it proposes. */
    @Test
    void pinnedFieldsAreLookedUpAndEverythingElseScans() {
        MemoryUniqueIndex id = new MemoryUniqueIndex("_id_", List.of(new IndexKey("_id", true)), false);
        MemoryUniqueIndex slug = new MemoryUniqueIndex("slug_unique", List.of(new IndexKey("slug", true)), true);
        IndexPlanner<Integer> planner = new IndexPlanner<>();
        planner.added(id);
        planner.added(slug);
        id.add(new Document("_id", A).append("slug", "a"), 0, null);
        slug.add(new Document("_id", A).append("slug", "a"), 0, null);
        id.add(new Document("_id", B).append("slug", "b"), 1, null);
        slug.add(new Document("_id", B).append("slug", "b"), 1, null);

        assertEquals(List.of(0), positions(planner, new Document("_id", A).append("version", 3)));
        assertEquals(List.of(1), positions(planner, new Document("$and",
                List.of(new Document("slug", "b"), new Document("deleted", false)))));
        assertEquals(List.of(1), positions(planner, new Document("_id", new Document("$eq", B))
                .append("$or", List.of(new Document("lease", new Document("$exists", false))))));
        assertEquals(List.of(0, 1), positions(planner, new Document("_id", new Document("$in", List.of(A, B)))
                .append("deleted", false)));
        assertEquals(List.of(), positions(planner, new Document("slug", "missing").append("deleted", false)));

        // nothing pinned, or pinned in a way an index lookup does not answer: the server scans
        assertNull(planner.candidates(new Document("deleted", false)));
        assertNull(planner.candidates(new Document("slug", null).append("deleted", false)));
        assertNull(planner.candidates(new Document("slug", List.of("a")).append("deleted", false)));
        assertNull(planner.candidates(new Document("$or", List.of(new Document("_id", A), new Document("_id", B)))));
        assertNull(planner.candidates(new Document("_id", new Document("$gt", A)).append("x", 1)));
        assertNull(planner.candidates(new Document()));

        planner.dropped("slug_unique");
        assertNull(planner.candidates(new Document("slug", "a").append("deleted", false)));
    }

    /** A non-unique index answers equality on a value or an array element, and {@code $exists} on its field. */
    @Test
    void aNonUniqueIndexIsKeptAndUsed() {
        EqualityIndex<Integer> tags = new EqualityIndex<>("tags", List.of(new IndexKey("tags", true)), false);
        EqualityIndex<Integer> pending = new EqualityIndex<>("pending", List.of(new IndexKey("pending.id", true)), true);
        IndexPlanner<Integer> planner = new IndexPlanner<>();
        planner.added(tags);
        planner.added(pending);
        Document first = new Document("_id", A).append("tags", List.of("x", "y")).append("pending", List.of(new Document("id", "e1")));
        Document second = new Document("_id", B).append("tags", List.of("y")).append("pending", List.of());
        tags.add(first, 0, null);
        pending.add(first, 0, null);
        tags.add(second, 1, null);
        pending.add(second, 1, null);

        assertEquals(List.of(0, 1), positions(planner, new Document("tags", "y").append("deleted", false)));
        assertEquals(List.of(0), positions(planner, new Document("$and", List.of(new Document("tags", "x")))));
        assertEquals(List.of(0), positions(planner, new Document("pending.id", new Document("$exists", true))));
        assertNull(planner.candidates(new Document("pending.id", new Document("$exists", false))));

        Document changed = new Document("_id", A).append("tags", List.of("z")).append("pending", List.of());
        tags.updateInPlace(first, changed, 0, null);
        pending.updateInPlace(first, changed, 0, null);
        assertEquals(List.of(1), positions(planner, new Document("tags", "y")));
        assertEquals(List.of(0), positions(planner, new Document("tags", "z")));
        assertEquals(List.of(), positions(planner, new Document("pending.id", new Document("$exists", true))));
        // an update that leaves the indexed fields alone keeps the entries; one that only adds a field is seen
        Document versioned = new Document(changed).append("version", 2L);
        tags.updateInPlace(changed, versioned, 0, null);
        pending.updateInPlace(changed, versioned, 0, null);
        assertEquals(List.of(0), positions(planner, new Document("tags", "z")));
        Document sent = new Document(versioned).append("pending", List.of(new Document("id", "e2")));
        pending.updateInPlace(versioned, sent, 0, null);
        assertEquals(List.of(0), positions(planner, new Document("pending.id", new Document("$exists", true))));
        pending.updateInPlace(sent, versioned, 0, null);
        assertEquals(List.of(), positions(planner, new Document("pending.id", new Document("$exists", true))));
        assertEquals(1, tags.remove(second));
        assertEquals(List.of(), positions(planner, new Document("tags", "y")));
    }

    /** A sorted, limited query on an index's leading fields reads in index order; a count it covers reads no document. */
    @Test
    void anIndexYieldsOrderAndCounts() {
        EqualityIndex<Integer> live = new EqualityIndex<>("deleted_createdAt",
                List.of(new IndexKey("deleted", true), new IndexKey("createdAt", false), new IndexKey("_id", false)), false);
        IndexPlanner<Integer> planner = new IndexPlanner<>();
        planner.added(live);
        for (int i = 0; i < 6; i++) {
            live.add(new Document("_id", i).append("deleted", i == 2).append("createdAt", 100 + (i % 3)), i, null);
        }
        Document newestFirst = new Document("createdAt", -1).append("_id", -1);
        Document query = new Document("$and", List.of(new Document(), new Document("deleted", false)));
        IndexPlanner.Plan<Integer> plan = planner.plan(query, newestFirst, 3);
        assertEquals(true, plan.sorted());
        assertEquals(List.of(5, 4, 1, 3, 0), StreamSupport.stream(plan.positions().spliterator(), false).toList());
        IndexPlanner.Plan<Integer> reversed = planner.plan(query, new Document("createdAt", 1).append("_id", 1), 3);
        assertEquals(List.of(0, 3, 1, 4, 5), StreamSupport.stream(reversed.positions().spliterator(), false).toList());
        assertEquals(false, planner.plan(query, new Document("createdAt", 1).append("_id", -1), 3).sorted());
        assertEquals(false, planner.plan(query, newestFirst, 0).sorted());
        assertEquals(5, planner.coveredCount(query));
        assertEquals(1, planner.coveredCount(new Document("deleted", true)));
        assertEquals(-1, planner.coveredCount(new Document("deleted", false).append("title", "x")));
    }

    /** A reopened H2 file rebuilds its non-unique indexes from the documents. */
    @Test
    void aReopenedStoreRebuildsItsIndexes(@TempDir Path dir) {
        Path file = dir.resolve("reopen.mv");
        for (int round = 0; round < 2; round++) {
            MongoBackend backend = DurableH2Backend.open(file, Durability.WRITE);
            backend.version(ServerVersion.MONGO_5_0);
            MongoServer server = new MongoServer(backend);
            InetSocketAddress address = server.bind();
            try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
                MongoCollection<org.bson.Document> docs = client.getDatabase("planner").getCollection("docs");
                if (round == 0) {
                    docs.createIndex(Indexes.ascending("author"), new IndexOptions().name("author"));
                    docs.createIndex(Indexes.ascending("slug"), new IndexOptions().unique(true).name("slug"));
                    docs.insertMany(List.of(new org.bson.Document("_id", 1).append("author", "a").append("slug", "one"),
                            new org.bson.Document("_id", 2).append("author", "b").append("slug", "two"),
                            new org.bson.Document("_id", 3).append("author", "a").append("slug", "three")));
                }
                // the unique indexes, held in memory, hold again after the reopen: lookups and refusals
                assertEquals(2, docs.find(Filters.and(Filters.eq("slug", "two"), Filters.exists("author"))).first().get("_id"));
                assertEquals(com.mongodb.ErrorCategory.DUPLICATE_KEY, org.junit.jupiter.api.Assertions.assertThrows(
                        com.mongodb.MongoWriteException.class,
                        () -> docs.insertOne(new org.bson.Document("_id", 10).append("slug", "one"))).getError().getCategory());
                assertEquals(com.mongodb.ErrorCategory.DUPLICATE_KEY, org.junit.jupiter.api.Assertions.assertThrows(
                        com.mongodb.MongoWriteException.class,
                        () -> docs.insertOne(new org.bson.Document("_id", 3).append("slug", "new"))).getError().getCategory());
                assertEquals(List.of(1, 3), docs.find(Filters.and(Filters.eq("author", "a"), Filters.gt("_id", 0)))
                        .sort(Sorts.ascending("_id")).map(d -> d.get("_id")).into(new ArrayList<>()));
            } finally {
                server.shutdownNow();
                backend.close();
            }
        }
    }

    /**
     * Through the wire, the planned backends answer every kind of query the services send exactly
     * as mongo-java-server's scanning one does.
     */
    @Test
    void answersAsTheScanningServerDoes(@TempDir Path dir) {
        List<List<Object>> scanned = run(new MemoryBackend());
        assertEquals(scanned, run(new PlannedMemoryBackend()));
        assertEquals(scanned, run(DurableH2Backend.open(dir.resolve("planned.mv"), Durability.OFF)));
    }

    private static List<Integer> positions(IndexPlanner<Integer> planner, Document query) {
        Iterable<Integer> found = planner.candidates(query);
        assertNotNull(found, "no index used for " + query);
        return StreamSupport.stream(found.spliterator(), false).sorted().toList();
    }

    private static List<List<Object>> run(MongoBackend backend) {
        backend.version(ServerVersion.MONGO_5_0);
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
            MongoCollection<org.bson.Document> docs = client.getDatabase("planner").getCollection("docs");
            docs.createIndex(Indexes.ascending("slug"), new IndexOptions().unique(true).name("slug_unique"));
            docs.createIndex(Indexes.ascending("pending.id"), new IndexOptions().sparse(true).name("pending"));
            docs.createIndex(Indexes.ascending("tags"), new IndexOptions().name("tags"));
            docs.createIndex(Indexes.ascending("author"), new IndexOptions().name("author"));
            List<org.bson.Document> seed = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                seed.add(new org.bson.Document("_id", i).append("slug", "s" + i).append("version", i % 4)
                        .append("deleted", i % 5 == 0).append("tags", List.of("t" + i % 3, "all"))
                        .append("createdAt", 1000 - i).append("author", "a" + i % 4)
                        .append("pending", i % 6 == 0 ? List.of(new org.bson.Document("id", "e" + i)) : List.of()));
            }
            docs.insertMany(seed);
            List<List<Object>> answers = new ArrayList<>();
            Function<Bson, List<Object>> ids = filter -> docs.find(filter).sort(Sorts.ascending("_id"))
                    .map(d -> d.get("_id")).into(new ArrayList<>());
            answers.add(ids.apply(Filters.and(Filters.eq("slug", "s7"), Filters.eq("deleted", false))));
            answers.add(ids.apply(Filters.and(Filters.eq("slug", "s10"), Filters.eq("deleted", false))));
            answers.add(ids.apply(Filters.and(Filters.eq("_id", 3), Filters.eq("version", 3))));
            answers.add(ids.apply(Filters.and(Filters.eq("_id", 3), Filters.eq("version", 2))));
            answers.add(ids.apply(Filters.and(Filters.in("_id", 1, 2, 5, 99), Filters.eq("deleted", false))));
            answers.add(ids.apply(Filters.and(Filters.eq("_id", 4), Filters.or(Filters.exists("lease", false),
                    Filters.lt("lease", 5)))));
            answers.add(ids.apply(Filters.and(Filters.eq("tags", "t1"), Filters.eq("deleted", false))));
            answers.add(docs.find(Filters.and(Filters.in("_id", 1, 2, 3, 4, 6, 7), Filters.eq("deleted", false)))
                    .sort(Sorts.descending("createdAt")).skip(1).limit(3).map(d -> d.get("_id")).into(new ArrayList<>()));
            // conditional writes: an optimistic update that holds, one that lost its race, a lease
            answers.add(List.of(docs.updateOne(Filters.and(Filters.eq("_id", 6), Filters.eq("version", 2),
                    Filters.eq("deleted", false)), Updates.inc("version", 1)).getModifiedCount()));
            answers.add(List.of(docs.updateOne(Filters.and(Filters.eq("_id", 6), Filters.eq("version", 2)),
                    Updates.inc("version", 1)).getModifiedCount()));
            org.bson.Document leased = docs.findOneAndUpdate(Filters.and(Filters.eq("_id", 8),
                            Filters.or(Filters.exists("lease", false), Filters.lt("lease.until", 5))),
                    Updates.set("lease", new org.bson.Document("until", 10)),
                    new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
            answers.add(List.of(leased == null ? "none" : leased.get("lease", org.bson.Document.class).get("until")));
            answers.add(List.of(docs.deleteOne(Filters.and(Filters.eq("_id", 10), Filters.eq("deleted", true)))
                    .getDeletedCount()));
            answers.add(List.of(docs.deleteOne(Filters.and(Filters.eq("_id", 11), Filters.eq("deleted", true)))
                    .getDeletedCount()));
            answers.add(ids.apply(Filters.and(Filters.eq("author", "a2"), Filters.eq("deleted", false))));
            answers.add(ids.apply(Filters.and(Filters.in("author", "a1", "a3"), Filters.eq("tags", "t0"))));
            answers.add(ids.apply(Filters.exists("pending.id")));
            answers.add(ids.apply(Filters.exists("tags")));
            docs.updateOne(Filters.eq("_id", 9), Updates.set("tags", List.of()));
            answers.add(ids.apply(Filters.exists("tags")));
            docs.updateOne(Filters.eq("_id", 12), Updates.pull("pending", Filters.in("id", List.of("e12"))));
            docs.updateOne(Filters.eq("_id", 13), Updates.combine(Updates.set("author", "a2"),
                    Updates.push("pending", new org.bson.Document("id", "e13"))));
            docs.deleteOne(Filters.eq("_id", 14));
            answers.add(ids.apply(Filters.exists("pending.id")));
            answers.add(ids.apply(Filters.eq("author", "a2")));
            answers.add(ids.apply(Filters.eq("author", "a1")));
            answers.add(ids.apply(Filters.empty()));
            // sorted pages, as the article list and the comments read them (index order, early stop)
            docs.createIndex(Indexes.compoundIndex(Indexes.ascending("deleted"), Indexes.descending("createdAt", "_id")),
                    new IndexOptions().name("deleted_createdAt"));
            docs.createIndex(Indexes.compoundIndex(Indexes.ascending("tags", "deleted"), Indexes.descending("createdAt", "_id")),
                    new IndexOptions().name("tags_createdAt"));
            docs.createIndex(Indexes.ascending("author", "_id"), new IndexOptions().name("author_id"));
            for (int skip : new int[] {0, 3, 20}) {
                answers.add(docs.find(Filters.and(Filters.empty(), Filters.eq("deleted", false)))
                        .sort(Sorts.descending("createdAt", "_id")).skip(skip).limit(5).map(d -> d.get("_id")).into(new ArrayList<>()));
                answers.add(docs.find(Filters.and(Filters.eq("tags", "t1"), Filters.eq("deleted", false)))
                        .sort(Sorts.descending("createdAt", "_id")).skip(skip).limit(3).map(d -> d.get("_id")).into(new ArrayList<>()));
                answers.add(docs.find(Filters.and(Filters.eq("author", "a2"), Filters.eq("deleted", false)))
                        .sort(Sorts.ascending("_id")).skip(skip).limit(4).map(d -> d.get("_id")).into(new ArrayList<>()));
                answers.add(docs.find(Filters.eq("author", "a2")).sort(Sorts.descending("_id")).skip(skip).limit(4)
                        .map(d -> d.get("_id")).into(new ArrayList<>()));
            }
            answers.add(docs.find(Filters.eq("deleted", false)).sort(Sorts.ascending("createdAt")).limit(4)
                    .map(d -> d.get("_id")).into(new ArrayList<>()));
            // countDocuments: answered by the index alone, through it, or by a scan
            answers.add(List.of(docs.countDocuments(Filters.and(Filters.empty(), Filters.eq("deleted", false))),
                    docs.countDocuments(Filters.eq("deleted", true)),
                    docs.countDocuments(Filters.and(Filters.eq("tags", "t2"), Filters.eq("deleted", false))),
                    docs.countDocuments(Filters.and(Filters.eq("author", "a1"), Filters.eq("deleted", false))),
                    docs.countDocuments(Filters.eq("version", 1)),
                    docs.countDocuments(Filters.eq("tags", "nothing")),
                    docs.countDocuments(Filters.eq("deleted", false), new com.mongodb.client.model.CountOptions().skip(2).limit(5)),
                    docs.countDocuments(),
                    docs.countDocuments(Filters.eq("tags", "all"))));
            // an aggregation whose first $match an index answers runs on what it finds
            answers.add(docs.aggregate(List.of(com.mongodb.client.model.Aggregates.match(Filters.exists("pending.id")),
                            com.mongodb.client.model.Aggregates.unwind("$pending"),
                            com.mongodb.client.model.Aggregates.group(null, com.mongodb.client.model.Accumulators.sum("n", 1),
                                    com.mongodb.client.model.Accumulators.min("first", "$pending.id"))))
                    .map(d -> (Object) (d.get("n") + "/" + d.get("first"))).into(new ArrayList<>()));
            answers.add(docs.aggregate(List.of(com.mongodb.client.model.Aggregates.match(Filters.eq("author", "a3")),
                            com.mongodb.client.model.Aggregates.sort(Sorts.descending("_id")),
                            com.mongodb.client.model.Aggregates.project(com.mongodb.client.model.Projections.include("_id"))))
                    .map(d -> d.get("_id")).into(new ArrayList<>()));
            answers.add(ids.apply(Filters.eq("version", 3)));
            return answers;
        } finally {
            server.shutdownNow();
            backend.close();
        }
    }
}

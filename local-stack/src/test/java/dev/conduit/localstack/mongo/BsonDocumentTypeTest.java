package dev.conduit.localstack.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BsonDocumentTypeTest {

    /** Every kind of value a client can store, nested, comes back equal and of the same Java type. */
    @Test
    void everyBsonValueComesBackAsItWasStored() {
        Document nested = new Document("s", "text é ✓").append("n", null).append("list", List.of(1, 2L, 3.5, "x"));
        Document document = new Document("_id", new ObjectId())
                .append("int", 42).append("long", 1L << 40).append("double", -0.0).append("nan", Double.NaN)
                .append("true", true).append("false", false).append("null", null)
                .append("date", Instant.ofEpochMilli(1_700_000_000_123L))
                .append("decimal", new Decimal128(new BigDecimal("12345.6789")))
                .append("binary", new BinData(new byte[] {1, 2, 3}))
                .append("uuid", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"))
                .append("timestamp", new BsonTimestamp(7L << 32 | 3))
                .append("min", MinKey.getInstance()).append("max", MaxKey.getInstance())
                .append("empty", new Document()).append("emptyList", List.of())
                .append("nested", nested).append("documents", List.of(nested, new Document("deep", List.of(List.of(nested)))));

        Document read = roundTrip(new BsonDocumentType(), document);
        assertEquals(document, read);
        assertEquals(List.copyOf(document.keySet()), List.copyOf(read.keySet()), "field order");
        document.keySet().forEach(key -> {
            if (document.get(key) != null && !(document.get(key) instanceof List<?>)) { // arrays read as ArrayList, as from the wire
                assertEquals(document.get(key).getClass(), read.get(key).getClass(), key);
            }
        });
        assertInstanceOf(Integer.class, read.get("int"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) read.get("double")));
    }

    /** Values written by H2's ObjectDataType (data files from before) read as they did, in one page with new ones. */
    @Test
    void valuesWrittenByTheDefaultTypeStillRead() {
        ObjectDataType old = new ObjectDataType();
        BsonDocumentType type = new BsonDocumentType();
        Random random = new Random(7);
        List<Document> documents = new ArrayList<>();
        WriteBuffer buffer = new WriteBuffer();
        for (int i = 0; i < 200; i++) {
            Document document = article(random, i);
            documents.add(document);
            if (i % 3 == 0) {
                old.write(buffer, document);
            } else {
                type.write(buffer, document);
            }
        }
        ByteBuffer written = buffer.getBuffer().flip();
        BsonDocumentType reader = new BsonDocumentType();
        for (Document expected : documents) {
            assertEquals(expected, reader.read(written));
        }
        assertEquals(0, written.remaining(), "each value read exactly its own bytes");
    }

    /** A value BSON cannot hold (none comes from a client) is stored as H2 stored it before, not refused. */
    @Test
    void aValueBsonCannotHoldIsWrittenTheOldWay() {
        Document document = new Document("_id", 1).append("duration", Duration.ofSeconds(5));
        WriteBuffer buffer = new WriteBuffer();
        new BsonDocumentType().write(buffer, document);
        ByteBuffer written = buffer.getBuffer().flip();
        assertNotEquals(BsonDocumentType.TAG, written.get(0));
        assertEquals(document, new BsonDocumentType().read(written));
        assertEquals(0, written.remaining());
    }

    /** The new form is the smaller one, and it is what a page is written in from now on. */
    @Test
    void writesTaggedBsonSmallerThanJavaSerialization() {
        Document document = article(new Random(1), 1);
        WriteBuffer bson = new WriteBuffer();
        new BsonDocumentType().write(bson, document);
        WriteBuffer serialized = new WriteBuffer();
        new ObjectDataType().write(serialized, document);
        assertEquals(BsonDocumentType.TAG, bson.getBuffer().get(0));
        assertTrue(bson.position() + 400 < serialized.position(), bson.position() + " bytes against " + serialized.position());
    }

    /**
     * A data file written by mongo-java-server's own H2 backend (as every data dir before this type
     * was) opens with the durable backend: every document reads back, changes are stored in the new
     * form, and the file reads again after another restart, old and new documents alike.
     */
    @Test
    void aDataFileWrittenByTheStockBackendOpensAndKeepsWorking(@TempDir Path dir) {
        Path file = dir.resolve("old.mv");
        List<org.bson.Document> seeded = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            seeded.add(new org.bson.Document("_id", new org.bson.types.ObjectId()).append("n", i).append("slug", "a-" + i)
                    .append("tags", List.of("t" + i % 7, "all")).append("at", java.util.Date.from(Instant.ofEpochSecond(1_700_000_000L + i)))
                    .append("body", "x".repeat(i)));
        }
        withServer(new H2Backend(new MVStore.Builder().fileName(file.toString()).open()),
                docs -> docs.insertMany(seeded));
        assertEquals(0, valuesInNewForm(file), "the stock backend wrote Java-serialized values");

        withServer(DurableH2Backend.open(file, Durability.WRITE), docs -> {
            assertEquals(seeded, docs.find().sort(Sorts.ascending("n")).into(new ArrayList<>()));
            docs.updateOne(Filters.eq("n", 5), Updates.set("body", "changed"));
            docs.insertOne(new org.bson.Document("_id", "new").append("n", 1000));
        });
        assertTrue(valuesInNewForm(file) > 0, "changed pages are written as BSON");

        seeded.get(5).put("body", "changed");
        seeded.add(new org.bson.Document("_id", "new").append("n", 1000));
        withServer(DurableH2Backend.open(file, Durability.WRITE),
                docs -> assertEquals(seeded, docs.find().sort(Sorts.ascending("n")).into(new ArrayList<>())));
    }

    private static int valuesInNewForm(Path file) {
        MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        try {
            int tagged = 0;
            for (String name : store.getMapNames()) {
                if (!name.startsWith("databases.")) {
                    continue;
                }
                MVMap<Object, byte[]> raw = store.openMap(name, new MVMap.Builder<Object, byte[]>().valueType(new RawTag()));
                for (Object key : raw.keySet()) {
                    tagged += raw.get(key)[0] == BsonDocumentType.TAG ? 1 : 0;
                }
            }
            return tagged;
        } finally {
            store.close();
        }
    }

    /** Reads a stored value's first byte only, to tell the two forms apart in a file. */
    private static final class RawTag extends org.h2.mvstore.type.BasicDataType<byte[]> {
        private final BsonDocumentType documents = new BsonDocumentType();

        @Override
        public int getMemory(byte[] value) {
            return 16;
        }

        @Override
        public void write(WriteBuffer buffer, byte[] value) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public byte[] read(ByteBuffer buffer) {
            byte tag = buffer.get(buffer.position());
            documents.read(buffer);
            return new byte[] {tag};
        }

        @Override
        public byte[][] createStorage(int size) {
            return new byte[size][];
        }
    }

    private static void withServer(MongoBackend backend, java.util.function.Consumer<MongoCollection<org.bson.Document>> use) {
        backend.version(ServerVersion.MONGO_5_0);
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
            use.accept(client.getDatabase("conversion").getCollection("docs"));
        } finally {
            server.shutdownNow();
            backend.close();
        }
    }

    private static Document article(Random random, int i) {
        byte[] bytes = new byte[random.nextInt(8)];
        random.nextBytes(bytes);
        return new Document("_id", new ObjectId()).append("slug", "title-" + i).append("title", "Title " + i)
                .append("body", "b".repeat(random.nextInt(500))).append("tagList", List.of("t" + random.nextInt(9), "u"))
                .append("authorId", "user-" + random.nextInt(5)).append("deleted", random.nextBoolean())
                .append("createdAt", Instant.ofEpochMilli(random.nextLong() >>> 24)).append("version", random.nextLong())
                .append("favoritesCount", random.nextInt()).append("outbox", List.of(new Document("id", i).append("bytes", new BinData(bytes))));
    }

    private static Document roundTrip(BsonDocumentType type, Document document) {
        WriteBuffer buffer = new WriteBuffer();
        type.write(buffer, document);
        ByteBuffer written = buffer.getBuffer().flip();
        Document read = type.read(written);
        assertEquals(0, written.remaining());
        return read;
    }
}

package dev.conduit.post;

import com.mongodb.MongoClientSettings;
import dev.conduit.post.repository.ArticleCodec;
import dev.conduit.support.outbox.PendingEvent;
import dev.conduit.support.outbox.RelayLease;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonDocumentWriter;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecRegistries;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.codecs.pojo.Conventions;
import org.bson.codecs.pojo.PojoCodecProvider;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link ArticleCodec} stores and reads articles exactly as the driver's automatic POJO codec did
 * (the registry built as the Quarkus MongoDB client builds it), so the data already written reads
 * back the same and the POJO codec could read what it writes.
 */
class ArticleCodecTest {

    private static final PojoCodecProvider POJO = PojoCodecProvider.builder().automatic(true)
            .conventions(Conventions.DEFAULT_CONVENTIONS).build();
    /** As Quarkus builds it: the driver's defaults, the application's providers, then the POJO codec. */
    private static final CodecRegistry WITH_CODEC = CodecRegistries.fromRegistries(MongoClientSettings.getDefaultCodecRegistry(),
            CodecRegistries.fromProviders(new ArticleCodec.Provider()), CodecRegistries.fromProviders(POJO));
    private static final CodecRegistry POJO_ONLY = CodecRegistries.fromRegistries(MongoClientSettings.getDefaultCodecRegistry(),
            CodecRegistries.fromProviders(POJO));

    @Test
    void theRegistryHandsOutTheHandWrittenCodec() {
        assertInstanceOf(ArticleCodec.class, WITH_CODEC.get(ArticleDocument.class));
    }

    @Test
    void writesWhatThePojoCodecWrites() {
        assertEquals(encode(POJO_ONLY, full()), encode(WITH_CODEC, full()));
        assertEquals(encode(POJO_ONLY, sparse()), encode(WITH_CODEC, sparse()));
        assertEquals(List.copyOf(encode(POJO_ONLY, full()).keySet()), List.copyOf(encode(WITH_CODEC, full()).keySet()));
    }

    @Test
    void readsWhatThePojoCodecWroteAndTheOtherWayRound() {
        for (ArticleDocument article : List.of(full(), sparse())) {
            BsonDocument stored = encode(POJO_ONLY, article);
            assertEquals(stored, encode(POJO_ONLY, decode(WITH_CODEC, stored)));
            BsonDocument ours = encode(WITH_CODEC, article);
            assertEquals(ours, encode(WITH_CODEC, decode(POJO_ONLY, ours)));
        }
    }

    @Test
    void aListItemWithoutBodyOrOutboxKeepsTheDefaults() {
        BsonDocument projected = encode(POJO_ONLY, full());
        projected.remove("body");
        projected.remove("pendingEvents");
        projected.remove("relayLease");
        ArticleDocument read = decode(WITH_CODEC, projected);
        assertNull(read.body);
        assertEquals(List.of(), read.pendingEvents);
        assertNull(read.relayLease);
        assertEquals(List.of("dragons", "training"), read.tagList);
        assertEquals(Instant.ofEpochMilli(1_767_261_600_123L), read.createdAt);
    }

    @Test
    void numbersStoredAsOtherTypesUnknownFieldsAndNullsReadAsThePojoCodecReadsThem() {
        BsonDocument stored = encode(POJO_ONLY, full());
        stored.put("favoritesCount", new BsonInt32(7));
        stored.put("version", new BsonDouble(3.0));
        stored.put("favoritedBy", new BsonArray(List.of(new BsonString("someone"))));
        stored.put("description", BsonNull.VALUE);
        ArticleDocument ours = decode(WITH_CODEC, stored);
        ArticleDocument pojo = decode(POJO_ONLY, stored);
        assertEquals(7, ours.favoritesCount);
        assertEquals(3, ours.version);
        assertNull(ours.description);
        assertEquals(encode(POJO_ONLY, pojo), encode(POJO_ONLY, ours));

        stored.put("version", new BsonDouble(3.5));
        assertThrows(BsonInvalidOperationException.class, () -> decode(WITH_CODEC, stored));
    }

    @Test
    void aNewArticleGetsAnIdAsItIsWritten() {
        ArticleDocument article = sparse();
        article.id = null;
        BsonDocument written = encode(WITH_CODEC, article);
        assertNotNull(article.id);
        assertEquals(article.id, written.getObjectId("_id").getValue());
        assertEquals("_id", written.getFirstKey());
    }

    private static ArticleDocument full() {
        ArticleDocument a = new ArticleDocument();
        a.id = new ObjectId("6b1168f104e2cb3849ad2539");
        a.slug = "how-to-train-your-dragon";
        a.title = "How to train your dragon";
        a.description = "Ever wonder how?";
        a.body = "You have to believe — ünïcödé too";
        a.tagList = new ArrayList<>(List.of("dragons", "training"));
        a.authorId = "6b1168f104e2cb3849ad2500";
        a.authorUsername = "Jake";
        a.authorUsernameKey = "jake";
        a.favoritesCount = 12;
        a.deleted = false;
        a.createdAt = Instant.ofEpochMilli(1_767_261_600_123L);
        a.updatedAt = Instant.ofEpochMilli(1_767_261_700_456L);
        a.version = 4;
        PendingEvent event = new PendingEvent();
        event.eventId = "3e9c7690-fb79-46f1-9e11-194924fa4489";
        event.type = "ArticlePublished";
        event.schemaVersion = 1;
        event.aggregateVersion = 4;
        event.occurredAt = Instant.ofEpochMilli(1_767_261_700_456L);
        event.data = "{\"slug\":\"how-to-train-your-dragon\"}";
        a.pendingEvents = new ArrayList<>(List.of(event));
        RelayLease lease = new RelayLease();
        lease.owner = "30eaa335-0d09-4a76-9c53-513a762e946e";
        lease.until = new Date(1_767_261_705_000L);
        a.relayLease = lease;
        return a;
    }

    /** What a deleted article's tombstone or an old document may look like: most fields unset. */
    private static ArticleDocument sparse() {
        ArticleDocument a = new ArticleDocument();
        a.id = new ObjectId("6b1168f104e2cb3849ad253a");
        a.slug = "gone";
        a.deleted = true;
        a.tagList = new ArrayList<>();
        a.pendingEvents = new ArrayList<>();
        return a;
    }

    private static BsonDocument encode(CodecRegistry registry, ArticleDocument article) {
        BsonDocument document = new BsonDocument();
        registry.get(ArticleDocument.class).encode(new BsonDocumentWriter(document), article, EncoderContext.builder().build());
        return document;
    }

    private static ArticleDocument decode(CodecRegistry registry, BsonDocument document) {
        Codec<ArticleDocument> codec = registry.get(ArticleDocument.class);
        return codec.decode(new BsonDocumentReader(document), DecoderContext.builder().build());
    }
}

package dev.conduit.post.repository;

import dev.conduit.post.ArticleDocument;
import dev.conduit.support.outbox.PendingEvent;
import dev.conduit.support.outbox.RelayLease;
import org.bson.BsonReader;
import org.bson.BsonType;
import org.bson.BsonWriter;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.LongCodec;
import org.bson.codecs.configuration.CodecProvider;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link ArticleDocument} to and from BSON, written out field by field. The driver's automatic POJO
 * codec (what Panache uses otherwise) looks every field name up in its class model and sets it
 * reflectively; decoding a page of 20 articles that way was 23 % of post-service's CPU in the list
 * scenario (bench/run.sh, JFR). The stored form is the POJO codec's, field for field, so documents
 * written by either read back the same (ArticleCodecTest checks both directions): {@code _id} first,
 * then the fields by name, null fields left out, unknown fields (such as the old {@code favoritedBy})
 * skipped, numbers read whatever numeric type they were stored as. The outbox's nested types keep the registry's codecs.
 *
 * <p>Found by the Quarkus MongoDB client as a {@link CodecProvider} of the application, ahead of
 * the automatic POJO provider.
 */
public class ArticleCodec implements Codec<ArticleDocument> {

    /**
     * The driver's own reader of a long: it takes any BSON number that holds the value exactly (int32,
     * int64, a whole double, a decimal) and refuses the rest, as the POJO codec's long fields do.
     */
    private static final LongCodec LONGS = new LongCodec();

    private final Codec<PendingEvent> pendingEvents;
    private final Codec<RelayLease> leases;

    public ArticleCodec(CodecRegistry registry) {
        this.pendingEvents = registry.get(PendingEvent.class);
        this.leases = registry.get(RelayLease.class);
    }

    /** Hands {@link ArticleCodec} to the client's registry. */
    public static class Provider implements CodecProvider {
        @Override
        @SuppressWarnings("unchecked")
        public <T> Codec<T> get(Class<T> type, CodecRegistry registry) {
            return type == ArticleDocument.class ? (Codec<T>) new ArticleCodec(registry) : null;
        }
    }

    @Override
    public Class<ArticleDocument> getEncoderClass() {
        return ArticleDocument.class;
    }

    @Override
    public void encode(BsonWriter writer, ArticleDocument a, EncoderContext context) {
        writer.writeStartDocument();
        // like the POJO codec, which gives a new document an id as it is written
        if (a.id == null) {
            a.id = new ObjectId();
        }
        writer.writeObjectId("_id", a.id);
        // the POJO codec's order: the id, then the fields by name
        string(writer, "authorId", a.authorId);
        string(writer, "authorUsername", a.authorUsername);
        string(writer, "authorUsernameKey", a.authorUsernameKey);
        string(writer, "body", a.body);
        instant(writer, "createdAt", a.createdAt);
        writer.writeBoolean("deleted", a.deleted);
        string(writer, "description", a.description);
        writer.writeInt64("favoritesCount", a.favoritesCount);
        list(writer, "pendingEvents", a.pendingEvents, event -> context.encodeWithChildContext(pendingEvents, writer, event));
        if (a.relayLease != null) {
            writer.writeName("relayLease");
            context.encodeWithChildContext(leases, writer, a.relayLease);
        }
        string(writer, "slug", a.slug);
        list(writer, "tagList", a.tagList, writer::writeString);
        string(writer, "title", a.title);
        instant(writer, "updatedAt", a.updatedAt);
        writer.writeInt64("version", a.version);
        writer.writeEndDocument();
    }

    /**
     * A stored null sets a reference field to null and is refused for a primitive (the readers of
     * boolean and long throw), as the POJO codec does.
     */
    @Override
    public ArticleDocument decode(BsonReader reader, DecoderContext context) {
        ArticleDocument a = new ArticleDocument();
        reader.readStartDocument();
        while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            switch (reader.readName()) {
                case "_id" -> a.id = orNull(reader, reader::readObjectId);
                case "slug" -> a.slug = orNull(reader, reader::readString);
                case "title" -> a.title = orNull(reader, reader::readString);
                case "description" -> a.description = orNull(reader, reader::readString);
                case "body" -> a.body = orNull(reader, reader::readString);
                case "tagList" -> a.tagList = orNull(reader, () -> list(reader, reader::readString));
                case "authorId" -> a.authorId = orNull(reader, reader::readString);
                case "authorUsername" -> a.authorUsername = orNull(reader, reader::readString);
                case "authorUsernameKey" -> a.authorUsernameKey = orNull(reader, reader::readString);
                case "favoritesCount" -> a.favoritesCount = LONGS.decode(reader, context);
                case "deleted" -> a.deleted = reader.readBoolean();
                case "createdAt" -> a.createdAt = orNull(reader, () -> Instant.ofEpochMilli(reader.readDateTime()));
                case "updatedAt" -> a.updatedAt = orNull(reader, () -> Instant.ofEpochMilli(reader.readDateTime()));
                case "version" -> a.version = LONGS.decode(reader, context);
                case "pendingEvents" -> a.pendingEvents = orNull(reader,
                        () -> list(reader, () -> context.decodeWithChildContext(pendingEvents, reader)));
                case "relayLease" -> a.relayLease = orNull(reader, () -> context.decodeWithChildContext(leases, reader));
                default -> reader.skipValue(); // not ours (such as the old favoritedBy): ignored, as the POJO codec does
            }
        }
        reader.readEndDocument();
        return a;
    }

    /** The value {@code read} reads, or null for a stored null. */
    private static <T> T orNull(BsonReader reader, Supplier<T> read) {
        if (reader.getCurrentBsonType() == BsonType.NULL) {
            reader.readNull();
            return null;
        }
        return read.get();
    }

    /** An array whose elements {@code element} reads; a null element stays null. */
    private static <T> List<T> list(BsonReader reader, Supplier<T> element) {
        List<T> values = new ArrayList<>();
        reader.readStartArray();
        while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            values.add(orNull(reader, element));
        }
        reader.readEndArray();
        return values;
    }

    /** {@code values} as an array named {@code name} ({@code element} writes each), left out when null. */
    private static <T> void list(BsonWriter writer, String name, List<T> values, Consumer<T> element) {
        if (values == null) {
            return;
        }
        writer.writeStartArray(name);
        for (T value : values) {
            if (value == null) {
                writer.writeNull();
            } else {
                element.accept(value);
            }
        }
        writer.writeEndArray();
    }

    private static void string(BsonWriter writer, String name, String value) {
        if (value != null) {
            writer.writeString(name, value);
        }
    }

    private static void instant(BsonWriter writer, String name, Instant value) {
        if (value != null) {
            writer.writeDateTime(name, value.toEpochMilli());
        }
    }
}

package dev.conduit.post.repository;

import dev.conduit.post.ArticleDocument;
import dev.conduit.support.outbox.PendingEvent;
import dev.conduit.support.outbox.RelayLease;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonReader;
import org.bson.BsonType;
import org.bson.BsonWriter;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.codecs.configuration.CodecProvider;
import org.bson.codecs.configuration.CodecRegistry;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ArticleDocument} to and from BSON, written out field by field. The driver's automatic POJO
 * codec (what Panache uses otherwise) looks every field name up in its class model and sets it
 * reflectively; decoding a page of 20 articles that way was 23 % of post-service's CPU in the list
 * scenario (bench/run.sh, JFR). The stored form is the POJO codec's, field for field, so documents
 * written by either read back the same (ArticleCodecTest checks both directions): {@code _id} first,
 * then the fields by name, null fields left out, unknown fields (such as the old {@code favoritedBy}) skipped, numbers read
 * whatever numeric type they were stored as. The outbox's nested types keep the registry's codecs.
 *
 * <p>Found by the Quarkus MongoDB client as a {@link CodecProvider} of the application, ahead of
 * the automatic POJO provider.
 */
public class ArticleCodec implements Codec<ArticleDocument> {

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
        if (a.pendingEvents != null) {
            writer.writeStartArray("pendingEvents");
            for (PendingEvent event : a.pendingEvents) {
                if (event == null) {
                    writer.writeNull();
                } else {
                    context.encodeWithChildContext(pendingEvents, writer, event);
                }
            }
            writer.writeEndArray();
        }
        if (a.relayLease != null) {
            writer.writeName("relayLease");
            context.encodeWithChildContext(leases, writer, a.relayLease);
        }
        string(writer, "slug", a.slug);
        if (a.tagList != null) {
            writer.writeStartArray("tagList");
            for (String tag : a.tagList) {
                if (tag == null) {
                    writer.writeNull();
                } else {
                    writer.writeString(tag);
                }
            }
            writer.writeEndArray();
        }
        string(writer, "title", a.title);
        instant(writer, "updatedAt", a.updatedAt);
        writer.writeInt64("version", a.version);
        writer.writeEndDocument();
    }

    @Override
    public ArticleDocument decode(BsonReader reader, DecoderContext context) {
        ArticleDocument a = new ArticleDocument();
        reader.readStartDocument();
        while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            String name = reader.readName();
            if (reader.getCurrentBsonType() == BsonType.NULL) {
                reader.readNull();
                nullValue(a, name);
                continue;
            }
            switch (name) {
                case "_id" -> a.id = reader.readObjectId();
                case "slug" -> a.slug = reader.readString();
                case "title" -> a.title = reader.readString();
                case "description" -> a.description = reader.readString();
                case "body" -> a.body = reader.readString();
                case "tagList" -> a.tagList = strings(reader);
                case "authorId" -> a.authorId = reader.readString();
                case "authorUsername" -> a.authorUsername = reader.readString();
                case "authorUsernameKey" -> a.authorUsernameKey = reader.readString();
                case "favoritesCount" -> a.favoritesCount = number(reader);
                case "deleted" -> a.deleted = reader.readBoolean();
                case "createdAt" -> a.createdAt = Instant.ofEpochMilli(reader.readDateTime());
                case "updatedAt" -> a.updatedAt = Instant.ofEpochMilli(reader.readDateTime());
                case "version" -> a.version = number(reader);
                case "pendingEvents" -> a.pendingEvents = events(reader, context);
                case "relayLease" -> a.relayLease = context.decodeWithChildContext(leases, reader);
                default -> reader.skipValue();
            }
        }
        reader.readEndDocument();
        return a;
    }

    /** A stored null: the POJO codec sets a reference field to null and refuses one for a primitive. */
    private static void nullValue(ArticleDocument a, String name) {
        switch (name) {
            case "_id" -> a.id = null;
            case "slug" -> a.slug = null;
            case "title" -> a.title = null;
            case "description" -> a.description = null;
            case "body" -> a.body = null;
            case "tagList" -> a.tagList = null;
            case "authorId" -> a.authorId = null;
            case "authorUsername" -> a.authorUsername = null;
            case "authorUsernameKey" -> a.authorUsernameKey = null;
            case "createdAt" -> a.createdAt = null;
            case "updatedAt" -> a.updatedAt = null;
            case "pendingEvents" -> a.pendingEvents = null;
            case "relayLease" -> a.relayLease = null;
            case "favoritesCount", "deleted", "version" ->
                    throw new BsonInvalidOperationException("null stored for the primitive field " + name + " of an article");
            default -> {
                // not ours: ignored, as the POJO codec ignores it
            }
        }
    }

    private List<PendingEvent> events(BsonReader reader, DecoderContext context) {
        List<PendingEvent> events = new ArrayList<>();
        reader.readStartArray();
        while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            if (reader.getCurrentBsonType() == BsonType.NULL) {
                reader.readNull();
                events.add(null);
            } else {
                events.add(context.decodeWithChildContext(pendingEvents, reader));
            }
        }
        reader.readEndArray();
        return events;
    }

    private static List<String> strings(BsonReader reader) {
        List<String> values = new ArrayList<>();
        reader.readStartArray();
        while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            if (reader.getCurrentBsonType() == BsonType.NULL) {
                reader.readNull();
                values.add(null);
            } else {
                values.add(reader.readString());
            }
        }
        reader.readEndArray();
        return values;
    }

    /** A long stored as any BSON number that holds it exactly, as the driver's own long codec reads it. */
    private static long number(BsonReader reader) {
        return switch (reader.getCurrentBsonType()) {
            case INT32 -> reader.readInt32();
            case INT64 -> reader.readInt64();
            case DOUBLE -> {
                double value = reader.readDouble();
                long asLong = (long) value;
                if (value != (double) asLong) {
                    throw new BsonInvalidOperationException("the double " + value + " is not a whole number");
                }
                yield asLong;
            }
            case DECIMAL128 -> {
                Decimal128 value = reader.readDecimal128();
                yield value.bigDecimalValue().longValueExact();
            }
            default -> throw new BsonInvalidOperationException("a number was expected, not " + reader.getCurrentBsonType());
        };
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

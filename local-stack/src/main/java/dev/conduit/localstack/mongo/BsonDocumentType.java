package dev.conduit.localstack.mongo;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

import java.nio.ByteBuffer;

/**
 * How a collection's documents are stored in the H2 file: as BSON, with the server's own wire
 * encoder and decoder, instead of H2's default {@link ObjectDataType}, which writes a document
 * through Java serialization (class descriptors and reflection for every document, every time a
 * page holding it is written).
 *
 * <p>Why: under a write load, serializing the changed pages at each commit (a whole leaf of
 * documents for one changed document) was the largest part of the server's CPU (JFR, bench/run.sh
 * create scenario), and Java serialization was most of that.
 *
 * <p>Files written before stay readable, and a page may hold both forms: each value starts with a
 * tag byte, and {@link #TAG} is one that {@link ObjectDataType} never writes (its tags are 0-119),
 * so a value without it is handed to an {@link ObjectDataType} as before. Every page written from
 * then on is in the new form. A value the BSON encoder cannot write (no such value comes from a
 * client, which sends BSON) is also written by the {@link ObjectDataType}, so nothing is refused
 * that was stored before.
 */
final class BsonDocumentType extends BasicDataType<Document> {

    /** Marks a value written as BSON; outside ObjectDataType's tags (0-119). */
    static final byte TAG = (byte) 0xB5;

    /**
     * H2 estimates a Java-serialized value's memory as the running average of its serialized size.
     * Java serialization writes an article in about 510 bytes more than BSON (885 against 373 bytes
     * without a body, 5,885 against 5,373 with a 5,000-character one), and the decoded document is
     * the same objects as before, so the estimate adds that back: leaves split and the page cache
     * fills as they did.
     */
    static final int SERIALIZATION_OVERHEAD = 512;

    private final ObjectDataType legacy = new ObjectDataType();
    /** Running average of the encoded size, as H2 keeps it for serialized values (starting where H2 starts). */
    private volatile int averageSize = 10_000;

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }

    @Override
    public int getMemory(Document document) {
        return averageSize;
    }

    @Override
    public void write(WriteBuffer buffer, Document document) {
        ByteBuf bson = Unpooled.buffer(Math.max(256, averageSize - SERIALIZATION_OVERHEAD));
        try {
            if (!encoded(document, bson)) {
                legacy.write(buffer, document);
                return;
            }
            int size = bson.readableBytes();
            sized(size);
            buffer.put(TAG);
            buffer.put(bson.array(), bson.arrayOffset() + bson.readerIndex(), size);
        } finally {
            bson.release();
        }
    }

    /** Whether the BSON encoder could write {@code document} into {@code bson} (it refuses a type it does not know). */
    private static boolean encoded(Document document, ByteBuf bson) {
        try {
            BsonEncoder.encodeDocument(document, bson);
            return true;
        } catch (RuntimeException notBson) {
            return false;
        }
    }

    @Override
    public Document read(ByteBuffer buffer) {
        if (buffer.get(buffer.position()) != TAG) {
            return (Document) legacy.read(buffer);
        }
        buffer.get(); // the tag
        ByteBuf bson = Unpooled.wrappedBuffer(buffer.slice());
        Document document = BsonDecoder.decodeBson(bson);
        buffer.position(buffer.position() + bson.readerIndex());
        sized(bson.readerIndex());
        return document;
    }

    /** Updates the running average on every value written or read, as H2 does for serialized values. */
    private void sized(int bsonSize) {
        averageSize = (int) ((bsonSize + SERIALIZATION_OVERHEAD + 15L * averageSize) / 16);
    }

    /** Values are never ordered; H2 compares them only for equality (a conditional replace), as before. */
    @Override
    public int compare(Document a, Document b) {
        return legacy.compare(a, b);
    }
}

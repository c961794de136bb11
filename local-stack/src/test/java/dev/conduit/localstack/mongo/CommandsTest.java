package dev.conduit.localstack.mongo;

import de.bwaldvogel.mongo.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandsTest {

    @Test
    void readsDoNotWaitForACommit() {
        for (String read : List.of("find", "getMore", "count", "distinct", "aggregate", "listCollections",
                "listIndexes", "hello", "isMaster", "ismaster", "buildInfo", "ping", "endSessions", "killCursors")) {
            assertTrue(Commands.isRead(read, new Document(read, "docs")), read);
        }
    }

    @Test
    void everythingElseIsAWrite() {
        for (String write : List.of("insert", "update", "delete", "findAndModify", "findandmodify", "create",
                "createIndexes", "drop", "dropIndexes", "dropDatabase", "renameCollection", "someFutureCommand")) {
            assertFalse(Commands.isRead(write, new Document(write, "docs")), write);
        }
    }

    @Test
    void anAggregationThatWritesItsOutputIsAWrite() {
        Document match = new Document("$match", new Document("a", 1));
        assertTrue(Commands.isRead("aggregate", new Document("aggregate", "docs").append("pipeline", List.of(match))));
        assertFalse(Commands.isRead("aggregate", new Document("aggregate", "docs")
                .append("pipeline", List.of(match, new Document("$out", "copy")))));
        assertFalse(Commands.isRead("aggregate", new Document("aggregate", "docs")
                .append("pipeline", List.of(new Document("$merge", new Document("into", "copy"))))));
    }
}

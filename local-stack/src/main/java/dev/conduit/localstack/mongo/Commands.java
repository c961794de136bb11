package dev.conduit.localstack.mongo;

import de.bwaldvogel.mongo.bson.Document;

import java.util.Locale;
import java.util.Set;

/**
 * Which MongoDB commands only read. Everything else (insert, update, delete, findAndModify, create,
 * createIndexes, drop, dropIndexes, dropDatabase, renameCollection, an aggregation with
 * {@code $out}/{@code $merge}, and any command not listed here) is treated as a write, so a command
 * this list does not know errs on the durable side.
 */
public final class Commands {

    /** Lower case; mongo-java-server matches command names ignoring case. */
    private static final Set<String> READS = Set.of(
            "find", "getmore", "killcursors", "count", "distinct", "aggregate",
            "listcollections", "listindexes", "listdatabases", "dbstats", "collstats", "validate", "explain",
            "hello", "ismaster", "buildinfo", "whatsmyuri", "ping", "serverstatus", "getlog", "connectionstatus",
            "hostinfo", "getcmdlineopts", "getfreemonitoringstatus", "getparameter", "endsessions",
            "getlasterror", "reseterror", "saslstart", "saslcontinue");

    private Commands() {
    }

    /** True when {@code command} cannot change stored data, so its answer need not wait for a commit. */
    public static boolean isRead(String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (!READS.contains(name)) {
            return false;
        }
        return !"aggregate".equals(name) || !writesOutput(query);
    }

    /** An aggregation pipeline with an {@code $out} or {@code $merge} stage writes a collection. */
    private static boolean writesOutput(Document query) {
        Object pipeline = query == null ? null : query.get("pipeline");
        if (!(pipeline instanceof Iterable<?> stages)) {
            return false;
        }
        for (Object stage : stages) {
            if (stage instanceof Document d && (d.containsKey("$out") || d.containsKey("$merge"))) {
                return true;
            }
        }
        return false;
    }
}

package dev.conduit.localstack;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import dev.conduit.localstack.mongo.Durability;
import dev.conduit.localstack.mongo.DurableH2Backend;
import dev.conduit.localstack.mongo.PlannedMemoryBackend;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A MongoDB-wire-protocol server ({@code de.bwaldvogel:mongo-java-server}) in a child JVM.
 * Arguments: port, then either {@code --memory} or the H2 file that keeps the data across restarts.
 * Prints {@value KafkaServerMain#READY} once it serves.
 *
 * <p>On the H2 file a write is answered only once it is committed to the file and forced to disk
 * ({@link DurableH2Backend}), so an acknowledged write survives {@code kill -9} of this process and a
 * power cut; the system property {@value Durability#PROPERTY} ({@code fsync}, {@code write},
 * {@code off}) changes that.
 */
public final class MongoServerMain {

    /**
     * Netty event loops serving the connections of the durable H2 backend (mongo-java-server's default
     * is twice the cores, which the memory backend keeps). A modifying command holds its loop until the
     * commit is on disk, so the loops bound how many writers can share one commit: on 2 cores, 16 loops
     * instead of 4 more than doubled fsync'ed inserts/s with 16 connections.
     */
    static final int DURABLE_WORKER_THREADS = Math.max(16, 2 * Runtime.getRuntime().availableProcessors());

    private MongoServerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: MongoServerMain <port> (--memory | <h2-file>)");
            System.exit(2);
        }
        ParentWatch.install();
        try {
            int port = Integer.parseInt(args[0]);
            MongoBackend backend = backend(args[1]);
            // MongoDB Java driver 5.x refuses servers that advertise a wire version older than 5.0
            backend.version(ServerVersion.MONGO_5_0);
            MongoServer server = new MongoServer(backend);
            // a durable write's event loop waits for its commit: more loops, larger group commits
            int workers = backend instanceof DurableH2Backend ? DURABLE_WORKER_THREADS : 0; // 0: Netty's default
            server.bind(new InetSocketAddress("127.0.0.1", port), 0, workers);
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "mongo-shutdown"));
            System.out.println(KafkaServerMain.READY + " mongo 127.0.0.1:" + port);
            System.out.flush();
            Thread.currentThread().join();
        } catch (Throwable e) {
            System.err.println("FATAL mongo: " + KafkaServerMain.describe(e));
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static MongoBackend backend(String where) throws Exception {
        if ("--memory".equals(where)) {
            return new PlannedMemoryBackend();
        }
        Path file = Path.of(where).toAbsolutePath();
        Files.createDirectories(file.getParent());
        Durability durability = Durability.fromSystemProperty();
        return DurableH2Backend.open(file, durability);
    }
}

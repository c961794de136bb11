package dev.conduit.localstack;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A MongoDB-wire-protocol server ({@code de.bwaldvogel:mongo-java-server}) in a child JVM.
 * Arguments: port, then either {@code --memory} or the H2 file that keeps the data across restarts.
 * Prints {@value KafkaServerMain#READY} once it serves.
 */
public final class MongoServerMain {

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
            server.bind("127.0.0.1", port);
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
            return new MemoryBackend();
        }
        Path file = Path.of(where).toAbsolutePath();
        Files.createDirectories(file.getParent());
        return new H2Backend(file.toString());
    }
}

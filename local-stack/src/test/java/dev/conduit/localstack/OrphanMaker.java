package dev.conduit.localstack;

import java.nio.file.Path;
import java.time.Duration;

/** Test helper run in its own JVM: starts a server child, prints its pid, then waits to be killed. */
public final class OrphanMaker {

    private OrphanMaker() {
    }

    public static void main(String[] args) throws Exception {
        ChildProcess mongo = Servers.startMongo(null, Ports.free(), Path.of(args[0]));
        mongo.awaitReady(Servers.ready(), Duration.ofSeconds(60));
        System.out.println("CHILD " + mongo.pid());
        System.out.flush();
        Thread.currentThread().join();
    }
}

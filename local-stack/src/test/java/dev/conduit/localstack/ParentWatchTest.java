package dev.conduit.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's promise: a server whose launcher is killed, even with SIGKILL, ends itself. */
class ParentWatchTest {

    @TempDir
    Path dir;

    @Test
    void aServerEndsWhenItsParentIsKilledHard() throws Exception {
        ChildProcess parent = ChildProcess.start("orphan-maker", List.of(ChildProcess.javaExecutable(),
                        "-cp", System.getProperty("java.class.path"), OrphanMaker.class.getName(),
                        dir.resolve("mongo.log").toString()),
                Map.of(), dir.resolve("parent.log"));
        try {
            parent.awaitReady(ChildProcess.Ready.logMarker("CHILD "), Duration.ofSeconds(60));
            long childPid = Long.parseLong(Files.readAllLines(parent.log()).stream()
                    .filter(l -> l.startsWith("CHILD ")).findFirst().orElseThrow().substring(6).trim());
            Optional<ProcessHandle> child = ProcessHandle.of(childPid);
            assertTrue(child.isPresent() && child.get().isAlive(), "the server runs while its parent does");

            ProcessHandle.of(parent.pid()).orElseThrow().destroyForcibly();

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (child.get().isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(child.get().isAlive(), "the server outlived its killed parent");
        } finally {
            parent.stop(Duration.ofSeconds(5));
        }
    }
}

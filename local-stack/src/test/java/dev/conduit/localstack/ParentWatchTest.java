package dev.conduit.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
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

            await("the server outlived its killed parent").atMost(Duration.ofSeconds(20)).until(() -> !child.get().isAlive());
        } finally {
            parent.stop(Duration.ofSeconds(5));
        }
    }
}

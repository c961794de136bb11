package dev.conduit.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Servers#keepArchive}, shared by Kafka's archive and the training run's: only what a process that
 * exited cleanly wrote replaces the archive in use; what it wrote never stays behind.
 */
class KeepArchiveTest {

    @TempDir
    Path dir;

    @Test
    void aCleanExitReplacesTheArchive() throws Exception {
        Path archive = write("archive.jsa", "old");
        Path written = write("archive.jsa.training", "new");
        assertTrue(Servers.keepArchive(exited("exit 0"), written, archive));
        assertEquals("new", Files.readString(archive));
        assertFalse(Files.exists(written));
    }

    @Test
    void exitingOnSigtermCountsAsClean() throws Exception {
        Path archive = write("archive.jsa", "old");
        Path written = write("archive.jsa.training", "new");
        assertTrue(Servers.keepArchive(exited("kill -TERM $$"), written, archive));
        assertEquals("new", Files.readString(archive));
    }

    @Test
    void aFailedProcessLeavesTheArchiveAsItWasAndRemovesWhatItWrote() throws Exception {
        Path archive = write("archive.jsa", "old");
        Path written = write("archive.jsa.training", "half");
        assertFalse(Servers.keepArchive(exited("exit 137"), written, archive));
        assertEquals("old", Files.readString(archive));
        assertFalse(Files.exists(written));
    }

    @Test
    void anEmptyOrMissingArchiveIsNotKept() throws Exception {
        Path archive = write("archive.jsa", "old");
        Path empty = write("archive.jsa.training", "");
        assertFalse(Servers.keepArchive(exited("exit 0"), empty, archive));
        assertFalse(Servers.keepArchive(exited("exit 0"), dir.resolve("never-written.jsa"), archive));
        assertEquals("old", Files.readString(archive));
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    private ChildProcess exited(String script) throws Exception {
        ChildProcess child = ChildProcess.start("sh", List.of("sh", "-c", script), Map.of(), dir.resolve("sh.log"));
        CompletableFuture<Void> exit = new CompletableFuture<>();
        child.onExit(() -> exit.complete(null));
        exit.get(10, TimeUnit.SECONDS);
        return child;
    }
}

package dev.conduit.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataDirTest {

    @TempDir
    Path tmp;

    @Test
    void createsAMissingDirAndMarksItOurs() {
        DataDir data = DataDir.open(tmp.resolve("data"));
        assertTrue(Files.isRegularFile(data.root().resolve(DataDir.MARKER)));
        assertTrue(data.isNew());
        assertEquals(data.root(), DataDir.open(tmp.resolve("data")).root());
    }

    @Test
    void adoptsAnEmptyDir() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        assertTrue(Files.exists(DataDir.open(tmp.resolve("empty")).root().resolve(DataDir.MARKER)));
    }

    @Test
    void refusesAForeignDirAndLeavesItUntouched() throws Exception {
        Path foreign = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(foreign.resolve("holiday.jpg"), "not ours");
        LaunchException e = assertThrows(LaunchException.class, () -> DataDir.open(foreign));
        assertTrue(e.getMessage().contains("is not a Conduit data dir"), e.getMessage());
        assertFalse(Files.exists(foreign.resolve(DataDir.MARKER)));
    }

    @Test
    void refusesAnUnknownLayout() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("future"));
        Files.writeString(dir.resolve(DataDir.MARKER), "layout=99\n");
        LaunchException e = assertThrows(LaunchException.class, () -> DataDir.open(dir));
        assertTrue(e.getMessage().contains("layout '99'"), e.getMessage());
    }

    @Test
    void refusesAFileWhereTheDirShouldBe() throws Exception {
        Path file = Files.writeString(tmp.resolve("data"), "x");
        LaunchException e = assertThrows(LaunchException.class, () -> DataDir.open(file));
        assertTrue(e.getMessage().contains("is a file"), e.getMessage());
    }

    @Test
    void aStalePidFileIsNotARunningLauncher() throws Exception {
        DataDir data = DataDir.open(tmp.resolve("data"));
        Files.writeString(data.pidFile(), String.valueOf(Long.MAX_VALUE - 1));
        assertTrue(data.runningLauncher().isEmpty());
        Files.writeString(data.pidFile(), "not a number");
        assertTrue(data.runningLauncher().isEmpty());
    }
}

package dev.conduit.localstack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's supervision: a child that dies is started again, with back-off, and reported. */
class SupervisorTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private Supervisor supervisor;

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.stop();
            supervisor.children().forEach(c -> c.stop(Duration.ofSeconds(5)));
        }
    }

    @Test
    void aKilledChildIsRestartedAndTheRestartIsOneLineAndInTheStatus() {
        supervisor = new Supervisor(out(), dir.resolve("status.properties"));
        ChildProcess first = supervisor.launch(spec("sleeper", List.of("sleep", "600")));
        supervisor.ready("sleeper");
        supervisor.superviseAll();

        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.child("sleeper").isPresent()
                && supervisor.child("sleeper").get().pid() != first.pid());
        await().atMost(Duration.ofSeconds(10)).until(() -> printed().contains("sleeper is back: ready in"));
        assertTrue(printed().contains("sleeper exited with code 137; restarting in 0.5 s, 1st time in 60 s"), printed());
        List<String> status = Status.read(dir.resolve("status.properties"), ProcessHandle.current().pid());
        String line = status.stream().filter(l -> l.startsWith("sleeper")).findFirst().orElseThrow();
        assertTrue(line.contains(String.valueOf(supervisor.child("sleeper").get().pid())), line);
        assertTrue(line.matches(".*running\\s+\\d+s\\s+1 \\(last exit code 137\\)"), line);
    }

    @Test
    void aCrashLoopIsReportedOnceWhileRestartsBackOff() {
        supervisor = new Supervisor(out(), dir.resolve("status.properties"));
        supervisor.launch(spec("crasher", List.of("sh", "-c", "echo FATAL cannot start; exit 3")));
        supervisor.superviseAll();

        // 0.5 + 1 + 2 + 4 s of back-off until the fifth exit
        await().atMost(Duration.ofSeconds(30)).until(() -> printed().contains("crasher is crash-looping"));
        String printed = printed();
        assertTrue(printed.contains("crasher exited with code 3; restarting in 1 s, 2nd time in 60 s"), printed);
        assertTrue(printed.contains("crasher exited with code 3; restarting in 4 s, 4th time in 60 s"), printed);
        assertTrue(printed.contains("crasher is crash-looping: 5 exits in 60 s (last code 3: FATAL cannot start); "
                + "retrying in 8 s, then at most every 30 s; the rest keeps serving"), printed);
        assertEquals(1, printed.split("crash-looping", -1).length - 1, "reported once");
    }

    @Test
    void aHeldChildIsNotRestartedAndStopEndsSupervision() {
        supervisor = new Supervisor(out(), dir.resolve("status.properties"));
        ChildProcess first = supervisor.launch(spec("held", List.of("sleep", "600")));
        supervisor.superviseAll();
        supervisor.hold("held").stop(Duration.ofSeconds(5));
        ChildProcess again = supervisor.release("held");
        assertNotEquals(first.pid(), again.pid());
        supervisor.stop();
        again.stop(Duration.ofSeconds(5));
        assertTrue(supervisor.child("held").isEmpty());
        assertTrue(!printed().contains("restarting"), printed());
    }

    @Test
    void aChildThatFailsItsLivenessChecksIsStoppedAndRestarted() {
        supervisor = new Supervisor(out(), dir.resolve("status.properties"), Duration.ofMillis(200));
        java.util.concurrent.atomic.AtomicBoolean healthy = new java.util.concurrent.atomic.AtomicBoolean(true);
        ChildProcess first = supervisor.launch(new Supervisor.Spec("wedged",
                () -> ChildProcess.start("wedged", List.of("sleep", "600"), Map.of(), dir.resolve("wedged.log")),
                ChildProcess::isAlive, java.util.Optional.of(child -> healthy.get())));
        supervisor.ready("wedged");
        supervisor.superviseAll();

        healthy.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.isAlive());
        healthy.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.child("wedged").map(c -> c.pid() != first.pid()).orElse(false));
        assertTrue(printed().contains("wedged failed 3 liveness checks in a row; stopping it to restart it"), printed());
        assertTrue(printed().contains("wedged exited with code 143; restarting in 0.5 s"), printed());
    }

    @Test
    void backOffDoublesFromHalfASecondToThirtySeconds() {
        assertEquals(Duration.ofMillis(500), Supervisor.backoff(1));
        assertEquals(Duration.ofSeconds(1), Supervisor.backoff(2));
        assertEquals(Duration.ofSeconds(16), Supervisor.backoff(6));
        assertEquals(Duration.ofSeconds(30), Supervisor.backoff(7));
        assertEquals(Duration.ofSeconds(30), Supervisor.backoff(100));
        assertEquals("2nd", Supervisor.ordinal(2));
        assertEquals("11th", Supervisor.ordinal(11));
        assertEquals("23rd", Supervisor.ordinal(23));
    }

    private Supervisor.Spec spec(String name, List<String> command) {
        return new Supervisor.Spec(name, () -> ChildProcess.start(name, command, Map.of(), dir.resolve(name + ".log")),
                child -> child.isAlive());
    }

    private PrintStream out() {
        return new PrintStream(output, true, StandardCharsets.UTF_8);
    }

    private String printed() {
        return output.toString(StandardCharsets.UTF_8);
    }
}

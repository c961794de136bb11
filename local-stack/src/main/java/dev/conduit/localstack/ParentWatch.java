package dev.conduit.localstack;

/**
 * Ends this JVM when the process that started it ends, however that process died (Ctrl-C,
 * SIGKILL, a crashed test JVM), so no server or service outlives the launcher or test run.
 *
 * <p>Used by the server mains directly and by services through {@code -javaagent:} (see the
 * {@code Premain-Class} entry of this module's jar), which leaves the services' own code untouched.
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    public static void premain(String args) {
        install();
    }

    public static void install() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            System.err.println("parent process " + parent.pid() + " is gone; shutting down");
            // exit, not halt: shutdown hooks stop the servers cleanly
            System.exit(0);
        }));
    }
}

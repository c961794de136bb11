package dev.conduit.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The local platform's data folder: Kafka's log, the MongoDB-wire server's H2 file, trending-service's
 * Kafka Streams state, the JWT key pair, logs and the launcher's pid file. A marker file tells ours from a folder that only
 * happens to have the same name, which is never written to.
 */
public record DataDir(Path root) {

    static final String MARKER = "conduit-data.properties";
    static final String LAYOUT = "1";

    /** Deletes a folder and everything in it (a throwaway data dir); nothing when it does not exist. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Opens {@code root}, creating it when absent or empty; refuses a foreign or corrupt folder. */
    public static DataDir open(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        Path marker = dir.resolve(MARKER);
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new LaunchException("data dir " + dir + " is a file, not a folder; set CONDUIT_DATA to another path");
            }
            if (!Files.exists(marker)) {
                if (Files.isDirectory(dir) && !isEmpty(dir)) {
                    throw new LaunchException("data dir " + dir + " is not a Conduit data dir (no " + MARKER
                            + "); empty it or set CONDUIT_DATA to another path");
                }
                Files.createDirectories(dir);
                Properties p = new Properties();
                p.setProperty("layout", LAYOUT);
                try (OutputStream out = Files.newOutputStream(marker)) {
                    p.store(out, "Conduit local platform data; see the README before changing anything here");
                }
                return new DataDir(dir);
            }
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(marker)) {
                p.load(in);
            } catch (IllegalArgumentException e) {
                throw new LaunchException("data dir " + dir + " is corrupt (" + MARKER + " is unreadable)");
            }
            if (!LAYOUT.equals(p.getProperty("layout"))) {
                throw new LaunchException("data dir " + dir + " has layout '" + p.getProperty("layout")
                        + "', this launcher knows layout " + LAYOUT + "; use another CONDUIT_DATA");
            }
            return new DataDir(dir);
        } catch (IOException e) {
            throw new LaunchException("data dir " + dir + " cannot be used: " + e, e);
        }
    }

    public boolean isNew() {
        return !Files.exists(kafka()) && !Files.exists(mongoFile());
    }

    public Path kafka() {
        return root.resolve("kafka");
    }

    public Path mongoFile() {
        return root.resolve("mongo").resolve("conduit.mv");
    }

    /** trending-service's Kafka Streams state (its stores; the changelog topics hold the truth). */
    public Path trending() {
        return root.resolve("trending");
    }

    public Path keys() {
        return root.resolve("keys");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path pidFile() {
        return root.resolve("launcher.pid");
    }

    /** What runs now: each part's pid, start time, restarts (written by the launcher). */
    public Path statusFile() {
        return root.resolve("status.properties");
    }

    /** The launcher that runs on this data dir now, if any. */
    public Optional<ProcessHandle> runningLauncher() {
        try {
            if (!Files.exists(pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile()).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(Launcher.class.getName())).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}

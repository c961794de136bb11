package dev.conduit.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Starts the embedded Kafka broker and MongoDB-wire server as child JVMs. */
public final class Servers {

    /** Small, fast-starting server JVMs: they hold test and laptop data only. */
    private static final List<String> SERVER_JVM_OPTS = List.of(
            "-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dorg.slf4j.simpleLogger.showDateTime=true");

    private Servers() {
    }

    /** Starts a KRaft broker keeping its data in {@code dir}; call {@link ChildProcess#awaitReady}. */
    public static ChildProcess startKafka(Path dir, int port, int controllerPort, Path log) {
        return startJvm("kafka", KafkaServerMain.class, List.of(),
                List.of(dir.toString(), String.valueOf(port), String.valueOf(controllerPort)), log);
    }

    /**
     * The launcher's broker, with a class-data archive of its JVM kept next to this module's jar: with
     * it the broker starts on about half the CPU (1.2-1.6 instead of 2.8-3.0 CPU seconds measured).
     * The first broker after this jar was built writes it as it stops ({@code -XX:ArchiveClassesAtExit},
     * about 4 s more to stop, once) into a file named after this launcher, which
     * {@link #keepKafkaArchive} moves into place afterwards: two launchers never write one file. A JVM
     * that cannot use the archive starts without it.
     */
    static ChildProcess startKafkaWithArchive(Path dir, int port, int controllerPort, Path log) {
        return startJvm("kafka", KafkaServerMain.class, kafkaArchive().map(Servers::archiveOption).orElse(List.of()),
                List.of(dir.toString(), String.valueOf(port), String.valueOf(controllerPort)), log);
    }

    /** After the launcher's broker stopped cleanly: the archive it wrote becomes the one later brokers use. */
    static void keepKafkaArchive(ChildProcess kafka) {
        Optional<Path> archive = kafkaArchive();
        if (archive.isEmpty()) {
            return;
        }
        try {
            keepArchive(kafka, ownArchive(archive.get()), archive.get());
        } catch (IOException e) {
            // the next start goes without it and writes it again
        }
    }

    /**
     * The class-data archive a JVM wrote at exit ({@code -XX:ArchiveClassesAtExit=written}) becomes
     * {@code archive}, in one atomic move, when the process exited cleanly (0, or on its SIGTERM) and wrote
     * one; otherwise {@code archive} stays as it was. What it wrote is removed either way. Returns whether
     * it was kept.
     */
    static boolean keepArchive(ChildProcess child, Path written, Path archive) throws IOException {
        try {
            boolean clean = child.exitCode().filter(code -> code == 0 || code == 128 + 15).isPresent();
            if (!clean || !Files.isRegularFile(written) || Files.size(written) == 0) {
                return false;
            }
            Files.move(written, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } finally {
            Files.deleteIfExists(written);
        }
    }

    private static Optional<Path> kafkaArchive() {
        Path jar = ownLocation();
        return jar.toString().endsWith(".jar") ? Optional.of(jar.resolveSibling("kafka-cds.jsa")) : Optional.empty();
    }

    private static List<String> archiveOption(Path archive) {
        try {
            if (Files.isRegularFile(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(ownLocation())) > 0) {
                return List.of("-XX:SharedArchiveFile=" + archive);
            }
        } catch (IOException e) {
            // written anew below
        }
        return List.of("-XX:ArchiveClassesAtExit=" + ownArchive(archive));
    }

    private static Path ownArchive(Path archive) {
        return archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    }

    /** Starts a MongoDB-wire server; {@code h2File} null means in memory. */
    public static ChildProcess startMongo(Path h2File, int port, Path log) {
        return startJvm("mongo", MongoServerMain.class, List.of(),
                List.of(String.valueOf(port), h2File == null ? "--memory" : h2File.toString()), log);
    }

    public static ChildProcess.Ready ready() {
        return ChildProcess.Ready.logMarker(KafkaServerMain.READY);
    }

    private static ChildProcess startJvm(String name, Class<?> main, List<String> jvmOpts, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(SERVER_JVM_OPTS);
        command.addAll(jvmOpts);
        command.add("-cp");
        command.add(classpath());
        command.add(main.getName());
        command.addAll(args);
        return ChildProcess.start(name, command, Map.of(), log);
    }

    /** This module's classes plus the servers' dependencies, as resolved by Maven at build time. */
    static String classpath() {
        String dependencies;
        try (InputStream in = Servers.class.getResourceAsStream("servers.classpath")) {
            if (in == null) {
                throw new LaunchException("servers.classpath is missing from the local-stack build; rebuild it with ./mvnw package");
            }
            dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String missing = List.of(dependencies.split(java.io.File.pathSeparator)).stream()
                .filter(entry -> !Files.exists(Path.of(entry))).findFirst().orElse(null);
        if (missing != null) {
            throw new LaunchException("a server dependency is missing from the local Maven repository (" + missing
                    + "); rebuild with ./mvnw package");
        }
        return ownLocation() + java.io.File.pathSeparator + dependencies;
    }

    /** Where this module's classes are: its jar, or its classes folder inside an IDE. */
    static Path ownLocation() {
        try {
            return Path.of(Servers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

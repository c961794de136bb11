package dev.conduit.localstack.mongo;

import java.util.Locale;

/**
 * When the H2 file-backed MongoDB-wire server acknowledges a write. Chosen with the system property
 * {@value #PROPERTY} of the server JVM; {@link #DEFAULT} when absent.
 */
public enum Durability {

    /**
     * H2's own background auto-commit (about once a second) and nothing else: an acknowledged write
     * can sit only in memory and is lost when the server process is killed. mongo-java-server's
     * default; kept for measurements.
     */
    OFF,

    /**
     * Before a modifying command is answered its changes are committed and written into the file
     * ({@code write()}, the OS page cache): survives a killed server process, not a power cut.
     */
    WRITE,

    /** As {@link #WRITE}, then {@code fsync} before the answer: also survives a power cut or kernel crash. */
    FSYNC;

    public static final String PROPERTY = "conduit.mongo.durability";

    /** Measured on a 2-core VM (see MongoDurabilityBenchmark): group commit keeps fsync affordable. */
    public static final Durability DEFAULT = FSYNC;

    /** {@code off}, {@code write} or {@code fsync}, any case; null or blank means {@link #DEFAULT}. */
    public static Durability parse(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PROPERTY + " must be off, write or fsync, not '" + value + "'");
        }
    }

    public static Durability fromSystemProperty() {
        return parse(System.getProperty(PROPERTY));
    }
}

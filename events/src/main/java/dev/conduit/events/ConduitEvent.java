package dev.conduit.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The payload of one event type of the contract. It knows its type name (its record's simple name,
 * which is also its {@code TYPE} constant for consumers' switches) and the version of its shape, so
 * writing an event is one call ({@code events.of(new UserFollowed(...), version)}). Neither travels
 * in {@code data}: they are the envelope's {@code type} and {@code schemaVersion}.
 *
 * <p>Versioning: adding an optional field is compatible and keeps the version; renaming, removing
 * or changing the meaning of a field is not: the record then overrides {@link #schemaVersion()}
 * with the next number, and consumers keep reading the versions they know.
 */
public interface ConduitEvent {

    /** The envelope's {@code type}, e.g. {@code UserFollowed}. */
    @JsonIgnore
    default String eventType() {
        return getClass().getSimpleName();
    }

    /** The envelope's {@code schemaVersion}. */
    @JsonIgnore
    default int schemaVersion() {
        return 1;
    }
}

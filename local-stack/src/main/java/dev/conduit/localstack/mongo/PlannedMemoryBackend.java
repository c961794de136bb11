package dev.conduit.localstack.mongo;

import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;

/** mongo-java-server's in-memory backend, its lookups planned by {@link IndexPlanner} (the tests' store). */
public final class PlannedMemoryBackend extends MemoryBackend {

    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new PlannedMemoryDatabase(databaseName, getCursorRegistry());
    }
}

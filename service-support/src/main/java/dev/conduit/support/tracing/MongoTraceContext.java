package dev.conduit.support.tracing;

import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.mongodb.runtime.MongoReactiveContextProvider;
import jakarta.inject.Singleton;

/**
 * Hands the caller's trace context to the reactive MongoDB driver with each operation, where
 * {@link MongoCommandTracing} finds the parent of its span. Only while tracing is on: off, the
 * driver captures nothing.
 */
@Singleton
@LookupIfProperty(name = "conduit.tracing.enabled", stringValue = "true")
public class MongoTraceContext extends MongoReactiveContextProvider {
}

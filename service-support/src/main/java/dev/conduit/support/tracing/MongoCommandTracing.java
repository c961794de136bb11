package dev.conduit.support.tracing;

import com.mongodb.RequestContext;
import com.mongodb.event.CommandFailedEvent;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.mongodb.runtime.MongoRequestContext;
import jakarta.inject.Singleton;
import org.bson.BsonValue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client span per MongoDB command that is part of a trace: name, database and collection, never
 * the command itself (Quarkus' own listener, {@code quarkus.mongodb.tracing.enabled}, records the
 * whole command as JSON, which would copy e-mail addresses and password hashes into the trace store,
 * and serialises every command even while tracing is off). Commands outside a trace (readiness
 * pings, outbox sweeps) make no span.
 *
 * <p>Registered with the MongoDB client only while {@code conduit.tracing.enabled=true}; off, the
 * driver has no listener to call.
 */
@Singleton
@LookupIfProperty(name = "conduit.tracing.enabled", stringValue = "true")
public class MongoCommandTracing implements CommandListener {

    private final Tracer tracer;
    private final Map<Integer, Span> inFlight = new ConcurrentHashMap<>();

    public MongoCommandTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("dev.conduit.mongodb");
    }

    @Override
    public void commandStarted(CommandStartedEvent event) {
        Context parent = parentOf(event.getRequestContext());
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return;
        }
        String command = event.getCommandName();
        BsonValue target = event.getCommand().get(command);
        String collection = target != null && target.isString() ? target.asString().getValue() : null;
        Span span = tracer.spanBuilder(collection == null ? command : command + " " + collection)
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("db.system.name", "mongodb")
                .setAttribute("db.operation.name", command)
                .setAttribute("db.namespace", event.getDatabaseName())
                .startSpan();
        if (collection != null) {
            span.setAttribute("db.collection.name", collection);
        }
        inFlight.put(event.getRequestId(), span);
    }

    @Override
    public void commandSucceeded(CommandSucceededEvent event) {
        Span span = inFlight.remove(event.getRequestId());
        if (span != null) {
            span.end();
        }
    }

    @Override
    public void commandFailed(CommandFailedEvent event) {
        Span span = inFlight.remove(event.getRequestId());
        if (span != null) {
            span.recordException(event.getThrowable());
            span.setStatus(StatusCode.ERROR, event.getThrowable().getClass().getSimpleName());
            span.end();
        }
    }

    /**
     * The reactive driver runs commands on its own threads: the caller's context arrives in the
     * request context ({@link MongoTraceContext}).
     */
    private static Context parentOf(RequestContext request) {
        Context captured = request == null ? null : request.getOrDefault(MongoRequestContext.OTEL_CONTEXT_KEY, null);
        return captured != null ? captured : Context.current();
    }
}

package dev.conduit.support.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.reactive.messaging.TracingMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;

/**
 * Carries a trace across the outbox, where the request that wrote an event and the relay that sends
 * it are apart in time: the W3C {@code traceparent} of the writing request is kept with the pending
 * event ({@link #currentTraceparent}), and the relay's message names it as the parent of the Kafka
 * connector's send span ({@link #continuing}), which writes the {@code traceparent} header the
 * consuming connector continues. While tracing is off there is no current span: nothing is kept and
 * the message is left as it is.
 */
public final class EventTracing {

    private static final String TRACEPARENT = "traceparent";

    private EventTracing() {
    }

    /** The W3C {@code traceparent} of the current span, or null when there is none (tracing off, or outside a trace). */
    public static String currentTraceparent() {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    /** {@code message}, sent as a child of {@code traceparent} when there is one. */
    public static <T> Message<T> continuing(Message<T> message, String traceparent) {
        if (traceparent == null) {
            return message;
        }
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, Traceparent.GETTER);
        return Span.fromContext(parent).getSpanContext().isValid()
                ? message.addMetadata(TracingMetadata.withCurrent(parent))
                : message;
    }

    private static final class Traceparent implements TextMapGetter<String> {
        static final Traceparent GETTER = new Traceparent();

        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    }
}

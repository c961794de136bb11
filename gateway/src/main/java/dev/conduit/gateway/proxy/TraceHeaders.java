package dev.conduit.gateway.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

import java.util.Set;

/**
 * The W3C trace context on the way to a service. With tracing on, Vert.x' tracer adds the gateway's
 * own {@code traceparent} (that of its client span, a child of the request's server span, which
 * continues the caller's trace if it sent one) to every request to a service; the caller's copies are
 * then dropped, or the service would get two and might pick the caller's. With tracing off there is
 * no tracer and the caller's headers pass through unchanged, so a traced caller still reaches the
 * services' spans.
 */
final class TraceHeaders {

    private static final Set<String> NAMES = Set.of("traceparent", "tracestate", "baggage");

    private TraceHeaders() {
    }

    /** Whether Vert.x traces the gateway's HTTP client (quarkus.otel.sdk.disabled=false). */
    static boolean injectedByTracer(Vertx vertx) {
        return vertx instanceof VertxInternal internal && internal.tracer() != null;
    }

    /** {@code lowerCaseName} is a trace context header. */
    static boolean isTraceContext(String lowerCaseName) {
        return NAMES.contains(lowerCaseName);
    }
}

package dev.conduit.trending.client;

import dev.conduit.trending.rest.RequestIdLogging;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpRequest;

/**
 * What goes with every call this service makes (java.net.http, which Quarkus does not trace): a
 * client span under the request's server span, its W3C {@code traceparent}, and the request's
 * {@code X-Request-Id}. With tracing off the OpenTelemetry instance is a no-op: no span, no header.
 */
@ApplicationScoped
public class OutgoingCalls {

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public OutgoingCalls(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("dev.conduit.trending");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** A started client span for a GET of {@code uri}, its context and the request id added to {@code request}. */
    public Span start(String name, URI uri, HttpRequest.Builder request) {
        Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT)
                .setAttribute("http.request.method", "GET")
                .setAttribute("url.full", uri.toString())
                .setAttribute("server.address", String.valueOf(uri.getHost()))
                .setAttribute("server.port", (long) uri.getPort())
                .startSpan();
        propagator.inject(Context.current().with(span), request, (carrier, key, value) -> carrier.header(key, value));
        String requestId = RequestIdLogging.current();
        if (requestId != null) {
            request.header(RequestIdLogging.HEADER, requestId);
        }
        return span;
    }

    /** Ends {@code span} with the answer's status (an error from 500 on). */
    public static void answered(Span span, int status) {
        span.setAttribute("http.response.status_code", (long) status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    /** Ends {@code span} for a call that got no answer. */
    public static void failed(Span span, Throwable failure) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        span.end();
    }
}

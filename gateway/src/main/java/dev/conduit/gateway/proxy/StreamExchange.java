package dev.conduit.gateway.proxy;

import dev.conduit.gateway.config.GatewayConfig;
import dev.conduit.gateway.http.ErrorResponses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/**
 * One client's Server-Sent Events stream relayed from one service. Unlike {@link ProxyExchange} it
 * has no response time limit once the service has answered (a stream is silent between events), is
 * never retried (a client's {@code EventSource} reconnects by itself, with {@code Last-Event-ID}), and
 * uses the service's stream pool, one connection per stream, closed when the stream ends.
 *
 * <ul>
 *   <li>The service's breaker is consulted (no stream is opened to a service it holds back: 503) but
 *       never fed: a stream's own failures say little about the service's other routes. Its 503
 *       (no room for another stream, its Kafka reader not started) means live updates are unavailable
 *       while articles and comments still serve, and would otherwise open the breaker of all of them;
 *       a service that is really down is seen by its ordinary requests.</li>
 *   <li>Until the service's response head arrives: {@code connect-timeout} for the connection, then
 *       {@code streams.first-byte-timeout}; answered 503/504 with the envelope.</li>
 *   <li>Once it arrived: its head goes to the client at once (so an {@code EventSource} opens before
 *       the first event), then every chunk as it comes, each written (and flushed) on its own;
 *       back-pressure both ways: a client that reads slowly pauses the read from the service, whose
 *       own bounded buffers then decide (the services drop a subscriber that falls too far behind).</li>
 *   <li>The client leaves: the request to the service is reset, which closes its connection, so the
 *       service sees its subscriber go. The service ends or breaks the stream: the client's response
 *       is ended or reset likewise.</li>
 * </ul>
 * All callbacks run on the request's event loop, so the fields need no locking.
 */
final class StreamExchange {

    private static final Logger LOG = Logger.getLogger(StreamExchange.class);

    private final Vertx vertx;
    private final GatewayConfig config;
    private final Downstream downstream;
    private final RoutingContext ctx;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final String uri;
    private final boolean tracing;

    private HttpClientRequest outbound;
    private long firstByteTimer = -1;
    /** Set once the client's answer is decided: the service's response is relayed, or the gateway answered. */
    private boolean committed;
    private boolean clientGone;

    StreamExchange(Vertx vertx, GatewayConfig config, Downstream downstream, RoutingContext ctx, String path,
                   boolean tracing) {
        this.vertx = vertx;
        this.config = config;
        this.downstream = downstream;
        this.ctx = ctx;
        this.request = ctx.request();
        this.response = request.response();
        this.tracing = tracing;
        String query = request.query();
        this.uri = downstream.basePath() + path + (query == null ? "" : "?" + query);
    }

    void start() {
        ctx.addEndHandler(ended -> {
            if (ended.failed()) {
                onClientGone();
            }
        });
        request.exceptionHandler(e -> onClientGone());
        if (Headers.declaresBody(request)) {
            // nothing reads it, and unread it would be parsed as the next request on this connection
            committed = true;
            ErrorResponses.send(request, 400, "a stream request has no body", true);
            return;
        }
        CircuitBreaker breaker = downstream.breaker();
        if (breaker.holdsCalls()) {
            long seconds = Math.max(1, (long) Math.ceil(breaker.untilTrial().toMillis() / 1000.0));
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            answer(503, downstream.name() + " is unavailable");
            return;
        }
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(downstream.host())
                .setPort(downstream.port())
                .setSsl(downstream.ssl())
                .setURI(uri)
                .setHeaders(Headers.forwarded(request, tracing))
                .setConnectTimeout(config.client().connectTimeout().toMillis());
        downstream.streamClient().request(options).onComplete(ar -> {
            if (ar.failed()) {
                onConnectFailure(ar.cause());
                return;
            }
            outbound = ar.result();
            // failures reach onFailure through response(); unhandled, Vert.x would also log each as an error
            outbound.exceptionHandler(e -> LOG.debugf("stream request to %s failed: %s", downstream.name(), e));
            if (clientGone) {
                abandon();
                return;
            }
            firstByteTimer = vertx.setTimer(config.streams().firstByteTimeout().toMillis(), id -> {
                firstByteTimer = -1;
                if (!committed && !clientGone) {
                    answer(504, downstream.name() + " did not answer in time");
                    outbound.reset();
                }
            });
            outbound.response().onComplete(r -> {
                cancelFirstByteTimer();
                if (r.succeeded()) {
                    onResponse(r.result());
                } else {
                    onFailure(r.cause());
                }
            });
            outbound.end();
        });
    }

    private void onConnectFailure(Throwable cause) {
        if (clientGone) {
            return;
        }
        if (cause instanceof ConnectionPoolTooBusyException) {
            answer(503, downstream.name() + " is overloaded");
        } else {
            LOG.debugf("%s unreachable for a stream: %s", downstream.name(), cause);
            answer(503, downstream.name() + " is unavailable");
        }
    }

    private void onFailure(Throwable cause) {
        if (clientGone || committed) {
            return;
        }
        LOG.debugf("%s failed before its stream began: %s", downstream.name(), cause);
        answer(502, downstream.name() + " closed the connection without an answer");
    }

    private void onResponse(HttpClientResponse inbound) {
        if (clientGone || committed) {
            abandon();
            return;
        }
        int status = inbound.statusCode();
        committed = true;
        Headers.copyResponse(inbound.headers(), response);
        response.setStatusCode(status);
        if (status == 200) {
            if (!response.headers().contains(HttpHeaders.CACHE_CONTROL)) {
                response.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            }
            // a stream must not wait in a compressor's buffer, here or in an nginx ingress in front
            if (!response.headers().contains(HttpHeaders.CONTENT_ENCODING)) {
                response.putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
            }
            response.putHeader("X-Accel-Buffering", "no");
        }
        if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        BodyRelay.relay(inbound, response, () -> clientGone, downstream.name());
        // the head now, not with the first event: an EventSource reports the stream open at once
        response.write(Buffer.buffer());
    }

    private void onClientGone() {
        if (clientGone || response.ended()) {
            return;
        }
        clientGone = true;
        cancelFirstByteTimer();
        abandon();
    }

    /** Resetting the request closes its connection: the service sees its subscriber leave. */
    private void abandon() {
        if (outbound != null) {
            outbound.reset();
        }
    }

    private void cancelFirstByteTimer() {
        if (firstByteTimer >= 0) {
            vertx.cancelTimer(firstByteTimer);
            firstByteTimer = -1;
        }
    }

    private void answer(int status, String message) {
        committed = true;
        ErrorResponses.send(request, status, message);
    }
}

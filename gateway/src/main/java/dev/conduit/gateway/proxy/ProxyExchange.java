package dev.conduit.gateway.proxy;

import dev.conduit.gateway.config.GatewayConfig;
import dev.conduit.gateway.http.ErrorResponses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.util.concurrent.TimeoutException;

/**
 * One client request forwarded to one service. A request body is received whole before the service
 * is called (bounded by {@code max-body-size}, {@code body-idle-timeout} and {@code body-timeout}):
 * a slow but honest upload then completes however long it takes within those bounds, the service's
 * response timer starts only when it has the whole request, and a client that stalls is answered
 * 408 without ever having held a connection to the service or counted against its breaker. The
 * response is streamed back with back-pressure.
 *
 * <p>Every path ends the downstream exchange one way or the other: the response is read to its end,
 * or the downstream request is reset, which on HTTP/1.1 closes that connection. A connection is thus
 * never left in the pool with an unread response or a half-written request, which is how a proxy's
 * pool gets poisoned by clients that go away mid-request.
 *
 * <p>All callbacks run on the request's event loop (Vert.x runs client callbacks on the context that
 * made the request), so the fields need no locking.
 */
final class ProxyExchange {

    private static final Logger LOG = Logger.getLogger(ProxyExchange.class);
    private static final int INITIAL_BODY_CAPACITY = 16 * 1024;

    private final Vertx vertx;
    private final GatewayConfig config;
    private final Downstream downstream;
    private final RoutingContext ctx;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final String uri;
    private final boolean hasBody;
    private final boolean idempotent;
    /** Vert.x' tracer adds the trace context headers itself: the caller's are not forwarded. */
    private final boolean tracing;

    private int attempts;
    private Attempt current;
    /** Set once the client's answer is decided: a downstream response is being relayed, or the gateway answered itself. */
    private boolean committed;
    private boolean clientGone;
    private long bodyBytes;
    /** The client's whole body, once received; null for a request without one. */
    private Buffer body;
    private long lastBodyChunkAt;
    private long bodyIdleTimer = -1;
    private long bodyDeadlineTimer = -1;

    ProxyExchange(Vertx vertx, GatewayConfig config, Downstream downstream, RoutingContext ctx, String path,
                  boolean tracing) {
        this.vertx = vertx;
        this.tracing = tracing;
        this.config = config;
        this.downstream = downstream;
        this.ctx = ctx;
        this.request = ctx.request();
        this.response = request.response();
        String query = request.query();
        this.uri = downstream.basePath() + path + (query == null ? "" : "?" + query);
        this.hasBody = Headers.declaresBody(request);
        // a request with a body cannot be replayed: its bytes were streamed to the failed attempt
        this.idempotent = (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) && !hasBody;
    }

    void start() {
        if (hasBody) {
            // until a downstream request exists to stream the body into
            request.pause();
        }
        // Vert.x Web owns the response's close handler; its end handlers report a close as a failure
        ctx.addEndHandler(ended -> {
            if (ended.failed()) {
                onClientGone();
            }
        });
        request.exceptionHandler(e -> onClientGone());
        long declaredLength = contentLength();
        if (declaredLength > config.maxBodySize().asLongValue()) {
            tooLarge();
            return;
        }
        if (hasBody) {
            receiveBody(declaredLength);
        } else {
            send();
        }
    }

    /**
     * Receives the client's body before anything is asked of the service. Bounded in size (413),
     * in silence ({@code body-idle-timeout}: no byte for that long is a stalled client, 408) and in
     * total ({@code body-timeout}, 408). None of it touches the service's pool or breaker.
     */
    private void receiveBody(long declaredLength) {
        long limit = config.maxBodySize().asLongValue();
        // grows with what arrives: a declared length is only a claim, and a client that declares 1 MiB and
        // sends nothing must not make the gateway hold 1 MiB for it
        Buffer received = Buffer.buffer((int) Math.min(Math.max(declaredLength, 1024), INITIAL_BODY_CAPACITY));
        lastBodyChunkAt = System.nanoTime();
        request.handler(chunk -> {
            if (committed || clientGone) {
                return;
            }
            bodyBytes += chunk.length();
            if (bodyBytes > limit) {
                stopBodyTimers();
                tooLarge();
                return;
            }
            received.appendBuffer(chunk);
            lastBodyChunkAt = System.nanoTime();
        });
        request.endHandler(v -> {
            stopBodyTimers();
            if (!committed && !clientGone) {
                body = received;
                send();
            }
        });
        long idle = config.bodyIdleTimeout().toMillis();
        bodyIdleTimer = vertx.setTimer(idle, id -> checkBodyIdle(idle));
        bodyDeadlineTimer = vertx.setTimer(config.bodyTimeout().toMillis(), id -> {
            bodyDeadlineTimer = -1;
            bodyTimedOut("the request body did not arrive within " + config.bodyTimeout().toSeconds() + " s");
        });
        if (HttpHeaders.CONTINUE.toString().equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            response.writeContinue();
        }
        request.resume();
    }

    /** Re-arms itself for the rest of the period while bytes keep coming; else the client stalled. */
    private void checkBodyIdle(long idleMillis) {
        long silentMillis = (System.nanoTime() - lastBodyChunkAt) / 1_000_000;
        if (silentMillis < idleMillis) {
            bodyIdleTimer = vertx.setTimer(Math.max(1, idleMillis - silentMillis), id -> checkBodyIdle(idleMillis));
            return;
        }
        bodyIdleTimer = -1;
        bodyTimedOut("the request body stalled: nothing arrived for " + config.bodyIdleTimeout().toSeconds() + " s");
    }

    private void bodyTimedOut(String message) {
        if (committed || clientGone) {
            return;
        }
        stopBodyTimers();
        request.handler(null);
        request.endHandler(null);
        LOG.debugf("%s %s: %s", request.method(), uri, message);
        answer(408, message);
    }

    private void stopBodyTimers() {
        if (bodyIdleTimer >= 0) {
            vertx.cancelTimer(bodyIdleTimer);
            bodyIdleTimer = -1;
        }
        if (bodyDeadlineTimer >= 0) {
            vertx.cancelTimer(bodyDeadlineTimer);
            bodyDeadlineTimer = -1;
        }
    }

    private void send() {
        if (clientGone) {
            return;
        }
        CircuitBreaker breaker = downstream.breaker();
        if (!breaker.tryAcquire()) {
            long seconds = Math.max(1, (long) Math.ceil(breaker.untilTrial().toMillis() / 1000.0));
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            answer(503, downstream.name() + " is unavailable");
            return;
        }
        attempts++;
        Attempt attempt = new Attempt();
        current = attempt;
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(downstream.host())
                .setPort(downstream.port())
                .setSsl(downstream.ssl())
                .setURI(uri)
                .setHeaders(Headers.forwarded(request, tracing))
                .setConnectTimeout(config.client().connectTimeout().toMillis())
                .setIdleTimeout(config.client().requestTimeout().toMillis());
        downstream.client().request(options).onComplete(ar -> {
            if (ar.failed()) {
                onConnectFailure(attempt, ar.cause());
                return;
            }
            HttpClientRequest outbound = ar.result();
            attempt.outbound = outbound;
            // failures reach onExchangeFailure through response(); unhandled, Vert.x would also log each as an error
            outbound.exceptionHandler(e -> LOG.debugf("request to %s failed: %s", downstream.name(), e));
            if (clientGone || committed) {
                attempt.abandon();
                return;
            }
            outbound.response().onComplete(r -> {
                if (r.succeeded()) {
                    onResponse(attempt, r.result());
                } else {
                    onExchangeFailure(attempt, r.cause());
                }
            });
            if (body != null) {
                // the whole body at once: the service's response timer (request-timeout) starts now
                outbound.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
                outbound.end(body);
            } else {
                outbound.end();
            }
        });
    }

    private void onConnectFailure(Attempt attempt, Throwable cause) {
        if (clientGone || committed || attempt.reset) {
            attempt.settleAbandoned();
            return;
        }
        attempt.settleFailure();
        if (cause instanceof ConnectionPoolTooBusyException) {
            answer(503, downstream.name() + " is overloaded");
        } else if (!retryIfAllowed(cause)) {
            LOG.debugf("%s unreachable: %s", downstream.name(), cause);
            answer(503, downstream.name() + " is unavailable");
        }
    }

    private void onExchangeFailure(Attempt attempt, Throwable cause) {
        if (clientGone || committed || attempt.reset) {
            attempt.settleAbandoned();
            return;
        }
        attempt.settleFailure();
        if (cause instanceof TimeoutException) {
            answer(504, downstream.name() + " did not answer in time");
        } else if (!retryIfAllowed(cause)) {
            LOG.debugf("%s failed mid-request: %s", downstream.name(), cause);
            answer(502, downstream.name() + " closed the connection without an answer");
        }
    }

    /**
     * Only reads are retried, and never after a timeout: a slow service would get the same load
     * again, and the client would wait several timeouts instead of one.
     */
    private boolean retryIfAllowed(Throwable cause) {
        GatewayConfig.Retry retry = config.retry();
        if (!idempotent || cause instanceof TimeoutException || attempts > retry.maxRetries()) {
            return false;
        }
        long delay = retry.delay().toMillis() << (attempts - 1);
        LOG.debugf("retrying %s %s on %s in %d ms after %s", request.method(), uri, downstream.name(), delay, cause);
        vertx.setTimer(Math.max(1, delay), id -> send());
        return true;
    }

    private void onResponse(Attempt attempt, HttpClientResponse inbound) {
        if (clientGone || committed) {
            attempt.abandon();
            return;
        }
        int status = inbound.statusCode();
        // the service says itself that it cannot serve: that counts against its breaker, and the
        // client still gets the service's own answer
        if (status == 502 || status == 503 || status == 504) {
            attempt.settleFailure();
        } else {
            attempt.settleSuccess();
        }
        committed = true;
        Headers.copyResponse(inbound.headers(), response);
        response.setStatusCode(status);
        boolean bodyless = request.method() == HttpMethod.HEAD || status == 204 || status == 304;
        if (!bodyless && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        BodyRelay.relay(inbound, response, () -> clientGone, downstream.name());
    }

    private void onClientGone() {
        if (response.ended()) {
            return;
        }
        clientGone = true;
        stopBodyTimers();
        if (current != null) {
            current.abandon();
        }
    }

    private void tooLarge() {
        request.handler(null);
        answer(413, "request body is larger than " + config.maxBodySize().asLongValue() + " bytes");
        if (current != null) {
            current.abandon();
        }
    }

    private void answer(int status, String message) {
        committed = true;
        ErrorResponses.send(request, status, message, hasBody && !request.isEnded());
    }

    private long contentLength() {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }


    /** One try at the service, settled exactly once towards the breaker. */
    private final class Attempt {
        HttpClientRequest outbound;
        boolean done;
        boolean reset;

        void settleSuccess() {
            if (!done) {
                done = true;
                downstream.breaker().onSuccess();
            }
        }

        void settleFailure() {
            if (!done) {
                done = true;
                downstream.breaker().onFailure();
            }
        }

        void settleAbandoned() {
            if (!done) {
                done = true;
                downstream.breaker().onAbandoned();
            }
        }

        /** Ends the exchange with the service early; resetting closes its connection rather than pooling it half-used. */
        void abandon() {
            settleAbandoned();
            reset = true;
            if (outbound != null) {
                outbound.reset();
            }
        }
    }

}

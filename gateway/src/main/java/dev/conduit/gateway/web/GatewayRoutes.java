package dev.conduit.gateway.web;

import dev.conduit.gateway.http.RequestIds;
import dev.conduit.gateway.http.ErrorResponses;
import dev.conduit.gateway.config.GatewayConfig;
import dev.conduit.gateway.proxy.ApiRoute;
import dev.conduit.gateway.proxy.AuthPolicy;
import dev.conduit.gateway.proxy.ReverseProxy;
import dev.conduit.gateway.proxy.RouteTable;
import dev.conduit.gateway.ratelimit.RateLimiter;
import dev.conduit.gateway.ratelimit.StreamLimits;
import dev.conduit.gateway.ratelimit.TokenBuckets;
import dev.conduit.gateway.security.EdgeAuthenticator;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.stream.Collectors;

/**
 * The gateway's request pipeline for {@code /api/*}, in this order: request id and access log,
 * route lookup (404/405), per-client limit, login/registration limit, token check, per-user limit,
 * open-stream limits (event-stream routes only), then the proxy. Every refusal happens before any service is called.
 *
 * <p>The route runs after Quarkus' CORS filter (so refusals carry CORS headers a browser needs to read
 * them) and before Quarkus' own body size check (order -2), which answers 413 without the error envelope.
 */
@ApplicationScoped
public class GatewayRoutes {

    static final int ROUTE_ORDER = -100;

    private static final Logger ACCESS = Logger.getLogger("dev.conduit.gateway.access");
    private static final Logger LOG = Logger.getLogger(GatewayRoutes.class);

    private static final String ROUTE = "conduit.route";
    private static final String FORWARDED = "conduit.forwarded";
    /** The token's subject, once verified: the key of the per-user limits. */
    private static final String SUBJECT = "conduit.subject";
    /** Where Quarkus' HTTP metrics look for a request's path template. */
    private static final String URI_TEMPLATE = "UrlPathTemplate";

    private final RateLimiter rateLimiter;
    private final EdgeAuthenticator authenticator;
    private final ReverseProxy proxy;
    private final long streamRetryAfterSeconds;

    public GatewayRoutes(RateLimiter rateLimiter, EdgeAuthenticator authenticator, ReverseProxy proxy,
                         GatewayConfig config) {
        this.rateLimiter = rateLimiter;
        this.authenticator = authenticator;
        this.proxy = proxy;
        this.streamRetryAfterSeconds = Math.max(1, (long) Math.ceil(config.streams().retryAfter().toMillis() / 1000.0));
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(ROUTE_ORDER)
                .handler(this::begin)
                .handler(this::resolve)
                .handler(this::limitClient)
                .handler(this::authenticate)
                .handler(this::limitStreams)
                .handler(this::forward)
                .failureHandler(this::failed);
        // whatever nothing else (API, /q endpoints, Swagger UI) answered: the envelope, not an HTML page
        router.route().order(Integer.MAX_VALUE)
                .handler(ctx -> ErrorResponses.send(ctx.request(), 404, "no route for " + ctx.normalizedPath()));
    }

    /**
     * Quarkus runs every request on its own duplicated Vert.x context, where the MDC lives, so the
     * id reaches every log line of this request, including those written in later callbacks.
     */
    private void begin(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String id = RequestIds.assign(request);
        MDC.put(RequestIds.MDC_KEY, id);
        // the way from a request id to its trace in the trace store (a no-op while tracing is off)
        Span.current().setAttribute(RequestIds.SPAN_ATTRIBUTE, id);
        ctx.response().putHeader(RequestIds.HEADER, id);
        uriTag(ctx, "/api/*");
        long start = System.nanoTime();
        ctx.addEndHandler(ended -> {
            ApiRoute route = ctx.get(ROUTE);
            boolean forwarded = ctx.get(FORWARDED, false);
            // "gateway": refused or answered here without calling any service
            ACCESS.infof("%s %s %s %s %d ms client=%s",
                    request.method(), request.uri(),
                    ended.succeeded() ? Integer.toString(ctx.response().getStatusCode()) : "aborted",
                    forwarded ? route.service().serviceName() : "gateway",
                    (System.nanoTime() - start) / 1_000_000, clientAddress(request));
        });
        ctx.next();
    }

    private void resolve(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        RouteTable.Match match = RouteTable.match(request.method(), belowApi(ctx));
        if (match instanceof RouteTable.Found found) {
            ctx.put(ROUTE, found.route());
            uriTag(ctx, "/api" + found.route().pattern());
            ctx.next();
        } else if (match instanceof RouteTable.MethodNotAllowed notAllowed) {
            ctx.response().putHeader(HttpHeaders.ALLOW,
                    notAllowed.allowed().stream().map(HttpMethod::name).collect(Collectors.joining(", ")));
            ErrorResponses.send(request, 405, request.method() + " is not allowed on " + ctx.normalizedPath());
        } else {
            ErrorResponses.send(request, 404, "no route for " + ctx.normalizedPath());
        }
    }

    private void limitClient(RoutingContext ctx) {
        String client = clientAddress(ctx.request());
        ApiRoute route = ctx.get(ROUTE);
        if (admitted(ctx, rateLimiter.client(client))
                && (!route.authEndpoint() || admitted(ctx, rateLimiter.authEndpoint(client)))) {
            ctx.next();
        }
    }

    private void authenticate(RoutingContext ctx) {
        ApiRoute route = ctx.get(ROUTE);
        if (route.auth() == AuthPolicy.IGNORED) {
            ctx.next();
            return;
        }
        Future<EdgeAuthenticator.Result> checked = authenticator.authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (checked.isComplete()) {
            admit(ctx, route, checked.result());
            return;
        }
        // a key the gateway does not hold yet: user-service's key set is being fetched. The body waits
        // unread, and the request goes on in its own context (where its MDC lives).
        HttpServerRequest request = ctx.request();
        request.pause();
        Context context = Vertx.currentContext();
        checked.onComplete(done -> context.runOnContext(v -> {
            request.resume();
            admit(ctx, route, done.result());
        }));
    }

    private void admit(RoutingContext ctx, ApiRoute route, EdgeAuthenticator.Result result) {
        if (result instanceof EdgeAuthenticator.Authenticated user) {
            ctx.put(SUBJECT, user.subject());
            if (admitted(ctx, rateLimiter.user(user.subject()))) {
                ctx.next();
            }
        } else if (result instanceof EdgeAuthenticator.Rejected rejected) {
            // also on optional-auth routes: see README, "Edge authentication"
            unauthorized(ctx, rejected.reason());
        } else if (route.auth() == AuthPolicy.REQUIRED) {
            unauthorized(ctx, ErrorResponses.UNAUTHORIZED);
        } else {
            ctx.next();
        }
    }

    /**
     * An event stream holds a connection here and at its service for as long as it lasts: at most
     * {@code streams.max-per-client} per client (keyed as the rate limits key it: the user when the
     * token is valid, else the address) and {@code streams.max-open} in all. Its place is given back
     * when the exchange ends, whichever side ends it. Opening one also counted as a request above.
     */
    private void limitStreams(RoutingContext ctx) {
        ApiRoute route = ctx.get(ROUTE);
        if (!route.stream()) {
            ctx.next();
            return;
        }
        String subject = ctx.get(SUBJECT);
        String key = subject != null ? "user:" + subject : "client:" + clientAddress(ctx.request());
        StreamLimits.Decision decision = rateLimiter.openStream(key);
        if (!decision.allowed()) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(streamRetryAfterSeconds));
            ErrorResponses.send(ctx.request(), 429, decision.refusal() == StreamLimits.Refusal.CLIENT
                    ? "too many open streams for this client, retry in " + streamRetryAfterSeconds + " s"
                    : "too many open streams on the gateway, retry in " + streamRetryAfterSeconds + " s");
            return;
        }
        StreamLimits.Permit permit = decision.permit();
        ctx.addEndHandler(ended -> permit.release());
        ctx.next();
    }

    private void forward(RoutingContext ctx) {
        ApiRoute route = ctx.get(ROUTE);
        ctx.put(FORWARDED, true);
        if (route.stream()) {
            proxy.stream(ctx, route.service(), belowApi(ctx));
        } else {
            proxy.forward(ctx, route.service(), belowApi(ctx));
        }
    }

    private void failed(RoutingContext ctx) {
        int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
        if (status >= 500) {
            LOG.errorf(ctx.failure(), "unexpected failure on %s %s", ctx.request().method(), ctx.request().uri());
        }
        ErrorResponses.send(ctx.request(), status, status >= 500 ? "internal gateway error" : "request failed");
    }

    /**
     * The {@code uri} tag of this request's {@code http.server.requests} timer: the contract's path
     * pattern (e.g. {@code /api/articles/{slug}}), or {@code /api/*} when no operation matches, never
     * the raw path, so the number of series stays bounded. Set the way Quarkus REST sets its templates.
     */
    private static void uriTag(RoutingContext ctx, String template) {
        if (ctx.request() instanceof HttpServerRequestInternal request) {
            request.context().putLocal(URI_TEMPLATE, template);
        }
    }

    private static boolean admitted(RoutingContext ctx, TokenBuckets.Decision decision) {
        if (decision.allowed()) {
            return true;
        }
        long seconds = Math.max(1, (long) Math.ceil(decision.retryAfter().toMillis() / 1000.0));
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        ErrorResponses.send(ctx.request(), 429, "too many requests, retry in " + seconds + " s");
        return false;
    }

    private static void unauthorized(RoutingContext ctx, String message) {
        ctx.response().putHeader("WWW-Authenticate", "Token");
        ErrorResponses.send(ctx.request(), 401, message);
    }

    /** The normalized path without the {@code /api} prefix: what the services serve. */
    private static String belowApi(RoutingContext ctx) {
        String path = ctx.normalizedPath().substring("/api".length());
        return path.isEmpty() ? "/" : path;
    }

    /**
     * The peer address, or the forwarded one when {@code quarkus.http.proxy.*} trusts the proxy in
     * front (an ingress); never a forwarded header from an untrusted peer.
     */
    private static String clientAddress(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}

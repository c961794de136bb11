package dev.conduit.gateway.proxy;

import dev.conduit.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Forwards a request to the service that owns its route, with the {@code /api} prefix removed.
 *
 * <p>Hand-written on Vert.x' {@code HttpClient} rather than {@code vertx-http-proxy}'s
 * {@code HttpProxy}: the gateway needs to retry reads, feed per-service breakers, count the body
 * against a limit while streaming it, and reset the downstream request when the client goes away;
 * the library exposes none of these points, and a default {@code HttpProxy} setup was seen hanging
 * every later request after a load run (see RECIPES.md).
 */
@ApplicationScoped
public class ReverseProxy {

    private final Vertx vertx;
    private final GatewayConfig config;
    private final Downstreams downstreams;
    private final boolean tracing;

    public ReverseProxy(Vertx vertx, GatewayConfig config, Downstreams downstreams) {
        this.vertx = vertx;
        this.config = config;
        this.downstreams = downstreams;
        this.tracing = TraceHeaders.injectedByTracer(vertx);
    }

    /** {@code path} is the request path below {@code /api}, starting with '/'. */
    public void forward(RoutingContext ctx, Service service, String path) {
        new ProxyExchange(vertx, config, downstreams.get(service), ctx, service.pathPrefix() + path, tracing).start();
    }

    /** As {@link #forward}, for a route answered with a long-lived event stream (see {@link StreamExchange}). */
    public void stream(RoutingContext ctx, Service service, String path) {
        new StreamExchange(vertx, config, downstreams.get(service), ctx, service.pathPrefix() + path, tracing).start();
    }
}

package dev.conduit.gateway.proxy;

import io.vertx.core.http.HttpClient;

/**
 * One service behind the gateway: where it is, its own connection pool and its own breaker, and a
 * separate pool for its event streams ({@code streamClient}), which hold a connection each for as long
 * as they last and must never take the connections its ordinary requests need.
 */
public record Downstream(Service service, String host, int port, boolean ssl, String basePath,
                         HttpClient client, HttpClient streamClient, CircuitBreaker breaker) {

    public String name() {
        return service.serviceName();
    }
}

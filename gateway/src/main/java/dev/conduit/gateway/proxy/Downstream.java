package dev.conduit.gateway.proxy;

import io.vertx.core.http.HttpClient;

/** One service behind the gateway: where it is, its own connection pool and its own breaker. */
public record Downstream(Service service, String host, int port, boolean ssl, String basePath,
                         HttpClient client, CircuitBreaker breaker) {

    public String name() {
        return service.serviceName();
    }
}

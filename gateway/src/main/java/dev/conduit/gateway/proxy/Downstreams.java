package dev.conduit.gateway.proxy;

import dev.conduit.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;

/**
 * An HTTP client per service, so a slow or saturated service exhausts only its own pool and wait
 * queue, never another's (bulkhead), plus its circuit breaker.
 */
@ApplicationScoped
public class Downstreams {

    private final Map<Service, Downstream> byService = new EnumMap<>(Service.class);

    public Downstreams(Vertx vertx, GatewayConfig config, MeterRegistry meters) {
        add(vertx, config, Service.USER, config.userServiceUrl());
        add(vertx, config, Service.POST, config.postServiceUrl());
        add(vertx, config, Service.COMMENT, config.commentServiceUrl());
        add(vertx, config, Service.TRENDING, config.trendingServiceUrl());
        for (Downstream downstream : byService.values()) {
            Gauge.builder("conduit.gateway.breaker.open", downstream.breaker(),
                            breaker -> breaker.state() == CircuitBreaker.State.CLOSED ? 0 : 1)
                    .description("1 while the service's circuit breaker is open or half-open")
                    .tag("service", downstream.name())
                    .register(meters);
        }
    }

    private void add(Vertx vertx, GatewayConfig config, Service service, URI url) {
        GatewayConfig.Client client = config.client();
        boolean ssl = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() != -1 ? url.getPort() : ssl ? 443 : 80;
        String basePath = url.getPath() == null ? "" : url.getPath().replaceAll("/+$", "");
        HttpClientOptions options = new HttpClientOptions()
                .setName("gateway-" + service.serviceName())
                .setSsl(ssl)
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) Math.max(1, client.keepAliveTimeout().toSeconds()))
                .setConnectTimeout((int) client.connectTimeout().toMillis())
                // bytes pass through as the service sent them, compressed or not
                .setDecompressionSupported(false);
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(client.maxPoolSize())
                .setMaxWaitQueueSize(client.maxWaitQueueSize());
        // one connection per stream, closed when the stream ends; as many as the gateway lets open
        HttpClientOptions streamOptions = new HttpClientOptions(options)
                .setName("gateway-" + service.serviceName() + "-streams")
                .setKeepAlive(false)
                .setIdleTimeout(0);
        PoolOptions streamPool = new PoolOptions()
                .setHttp1MaxSize(config.streams().maxOpen())
                .setMaxWaitQueueSize(client.maxWaitQueueSize());
        GatewayConfig.Breaker breaker = config.breaker();
        byService.put(service, new Downstream(service, url.getHost(), port, ssl, basePath,
                vertx.createHttpClient(options, pool), vertx.createHttpClient(streamOptions, streamPool),
                new CircuitBreaker(breaker.window(), breaker.minimumCalls(), breaker.failureRatio(),
                        breaker.openDelay(), System::nanoTime)));
    }

    @PreDestroy
    void close() {
        byService.values().forEach(downstream -> {
            downstream.client().close();
            downstream.streamClient().close();
        });
    }

    public Downstream get(Service service) {
        return byService.get(service);
    }
}

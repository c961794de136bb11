package dev.conduit.gateway.health;

import dev.conduit.gateway.config.GatewayConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway is ready when every service behind it is: asks each one's {@code /q/health/ready}
 * in parallel, each with its own timeout, and reports every service by name.
 */
@Readiness
@ApplicationScoped
public class DownstreamReadinessCheck implements AsyncHealthCheck {

    private final WebClient client;
    private final GatewayConfig config;

    public DownstreamReadinessCheck(Vertx vertx, GatewayConfig config) {
        this.config = config;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) config.healthTimeout().toMillis())
                .setMaxPoolSize(4)
                .setKeepAlive(false));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        Map<String, URI> services = new LinkedHashMap<>();
        services.put("user-service", config.userServiceUrl());
        services.put("post-service", config.postServiceUrl());
        services.put("comment-service", config.commentServiceUrl());
        List<Uni<Map.Entry<String, String>>> probes = services.entrySet().stream()
                .map(e -> probe(e.getKey(), e.getValue()))
                .toList();
        return Uni.join().all(probes).andFailFast().map(results -> {
            HealthCheckResponseBuilder builder = HealthCheckResponse.named("downstream services").up();
            for (Map.Entry<String, String> result : results) {
                builder.withData(result.getKey(), result.getValue());
                if (!"UP".equals(result.getValue())) {
                    builder.down();
                }
            }
            return builder.build();
        });
    }

    private Uni<Map.Entry<String, String>> probe(String name, URI base) {
        return client.getAbs(base.resolve("/q/health/ready").toString())
                .timeout(config.healthTimeout().toMillis())
                .send()
                .map(response -> {
                    if (response.statusCode() == 200) {
                        return "UP";
                    }
                    String status = "DOWN (HTTP " + response.statusCode() + ")";
                    try {
                        JsonObject body = response.bodyAsJsonObject();
                        return body == null ? status : status + " " + body.getString("status", "");
                    } catch (RuntimeException notJson) {
                        return status;
                    }
                })
                .onFailure().recoverWithItem(e -> "DOWN (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")")
                .map(state -> Map.entry(name, state));
    }
}

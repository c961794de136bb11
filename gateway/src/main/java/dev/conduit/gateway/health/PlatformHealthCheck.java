package dev.conduit.gateway.health;

import dev.conduit.gateway.config.GatewayConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregated view of every part, for people and dashboards ({@code /q/health/group/platform} on
 * the management interface): each service's readiness and its own platform group (its Kafka
 * connection, its consumers), asked in parallel, each with its own timeout. Not part of the
 * gateway's readiness: a down service answers 503 on its own routes while the rest serves.
 */
@HealthGroup(PlatformHealthCheck.GROUP)
@ApplicationScoped
public class PlatformHealthCheck implements AsyncHealthCheck {

    public static final String GROUP = "platform";

    private final WebClient client;
    private final GatewayConfig config;
    /** One aggregation shared by every caller of one period (config {@code health-cache}). */
    private final Uni<HealthCheckResponse> cached;

    public PlatformHealthCheck(Vertx vertx, GatewayConfig config) {
        this.config = config;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) config.healthTimeout().toMillis())
                .setMaxPoolSize(4)
                .setKeepAlive(false));
        this.cached = Uni.createFrom().deferred(this::aggregate).memoize().forFixedDuration(config.healthCache());
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return cached;
    }

    private Uni<HealthCheckResponse> aggregate() {
        Map<String, URI> services = new LinkedHashMap<>();
        services.put("user-service", config.userServiceManagementUrl());
        services.put("post-service", config.postServiceManagementUrl());
        services.put("comment-service", config.commentServiceManagementUrl());
        services.put("trending-service", config.trendingServiceManagementUrl());
        List<Uni<Map.Entry<String, String>>> probes = new ArrayList<>();
        services.forEach((name, base) -> {
            probes.add(probe(name, base.resolve("/q/health/ready")));
            probes.add(probe(name + " platform", base.resolve("/q/health/group/platform")));
        });
        return Uni.join().all(probes).andFailFast().map(results -> {
            HealthCheckResponseBuilder builder = HealthCheckResponse.named("platform").up();
            for (Map.Entry<String, String> result : results) {
                builder.withData(result.getKey(), result.getValue());
                if (!"UP".equals(result.getValue())) {
                    builder.down();
                }
            }
            return builder.build();
        });
    }

    private Uni<Map.Entry<String, String>> probe(String name, URI url) {
        return client.getAbs(url.toString())
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

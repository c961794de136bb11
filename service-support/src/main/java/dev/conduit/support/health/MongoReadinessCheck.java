package dev.conduit.support.health;

import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Readiness of the MongoDB connection: one {@code ping}, answered within
 * {@code conduit.health.mongo-timeout}, and reused for {@code conduit.health.mongo-cache}, so a flood
 * of readiness calls costs MongoDB one ping a period, not one per call. Replaces Quarkus' own check
 * ({@code quarkus.mongodb.health.enabled=false} in the shared defaults), which pings on every call.
 */
@Readiness
@ApplicationScoped
public class MongoReadinessCheck implements AsyncHealthCheck {

    static final String NAME = "MongoDB connection health check";

    private final Uni<HealthCheckResponse> cached;

    @Inject
    public MongoReadinessCheck(ReactiveMongoClient mongo,
                               @ConfigProperty(name = "conduit.health.mongo-timeout", defaultValue = "2s") Duration timeout,
                               @ConfigProperty(name = "conduit.health.mongo-cache", defaultValue = "1s") Duration cache) {
        this(() -> mongo.getDatabase("admin").runCommand(new Document("ping", 1)).replaceWithVoid(), timeout, cache);
    }

    MongoReadinessCheck(Supplier<Uni<Void>> ping, Duration timeout, Duration cache) {
        this.cached = Uni.createFrom().<Void>deferred(ping::get)
                .ifNoItem().after(timeout).fail()
                .map(ignored -> HealthCheckResponse.named(NAME).up().build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(NAME).down()
                        .withData("reason", e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))
                        .build())
                .memoize().forFixedDuration(cache);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return cached;
    }
}

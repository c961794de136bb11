package dev.conduit.support.mongo;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The indexes a service's correctness rests on (unique usernames, slugs), created at start-up
 * without making the start depend on MongoDB: a service that starts (or is restarted) during a
 * MongoDB outage comes up unready and creates them, retrying with back-off, as soon as MongoDB
 * answers, instead of failing to start and crash-looping. Readiness stays DOWN until they exist,
 * so no write is taken before the unique indexes can decide a race.
 */
@ApplicationScoped
public class StartupIndexes {

    private static final Logger LOG = Logger.getLogger(StartupIndexes.class);
    private static final Duration FIRST_ATTEMPT = Duration.ofSeconds(8);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);

    private final Map<String, Boolean> created = new ConcurrentHashMap<>();

    /**
     * Creates {@code indexes}: first during start-up (bounded, so that a service whose MongoDB
     * answers starts with them in place), else in the background until it succeeds; {@code what}
     * names them in readiness.
     */
    public void ensure(String what, Supplier<Uni<Void>> indexes) {
        try {
            indexes.get().await().atMost(FIRST_ATTEMPT);
            created.put(what, true);
            return;
        } catch (RuntimeException e) {
            LOG.warnf("cannot create the %s indexes now, starting unready and retrying: %s", what, e.toString());
            created.put(what, false);
        }
        Uni.createFrom().deferred(indexes::get)
                .onFailure().invoke(e -> LOG.warnf("cannot create the %s indexes yet, will retry: %s", what, e.toString()))
                .onFailure().retry().withBackOff(FIRST_RETRY, MAX_RETRY).indefinitely()
                .subscribe().with(ignored -> created.put(what, true), e -> LOG.error("creating the " + what + " indexes failed", e));
    }

    /** Each set of indexes and whether it exists yet. */
    Map<String, Boolean> state() {
        return Map.copyOf(created);
    }

    /** Readiness: DOWN while a set of indexes waits for MongoDB. */
    @Readiness
    @ApplicationScoped
    static class Check implements HealthCheck {

        private final StartupIndexes indexes;

        Check(StartupIndexes indexes) {
            this.indexes = indexes;
        }

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder builder = HealthCheckResponse.named("MongoDB indexes").up();
            indexes.state().forEach((what, done) -> {
                builder.withData(what, done ? "created" : "waiting for MongoDB");
                if (!done) {
                    builder.down();
                }
            });
            return builder.build();
        }
    }
}

package dev.conduit.post.client;

import dev.conduit.post.config.PostConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

/**
 * Asks user-service whom a reader follows right now: the authors read model learns a follow only
 * when its event arrives, a fraction of a second after user-service acknowledged it, and a reader
 * must see their own follow at once. Bounded: an answer within the timeout or none, and after
 * repeated failures the breaker stops asking for a while; no answer means "use the read model".
 * The guard is SmallRye Fault Tolerance's, built from {@link PostConfig#userService()}.
 *
 * <p>Created at start-up, so that its named breaker exists for {@code CircuitBreakerMaintenance}
 * before the first call.
 */
@Startup
@ApplicationScoped
public class UserServiceClient {

    public static final String BREAKER = "user-service-following";
    private static final Logger LOG = Logger.getLogger(UserServiceClient.class);

    private final UserServiceApi api;
    private final TypedGuard<Uni<Optional<Set<String>>>> guard;

    public UserServiceClient(@RestClient UserServiceApi api, PostConfig config) {
        this.api = api;
        PostConfig.UserServiceCalls calls = config.userService();
        PostConfig.Breaker breaker = calls.breaker();
        this.guard = TypedGuard.create(new TypeLiteral<Uni<Optional<Set<String>>>>() { })
                .withDescription(UserServiceClient.class.getName() + ".following")
                .withTimeout().duration(calls.timeout().toMillis(), ChronoUnit.MILLIS).done()
                .withCircuitBreaker().name(BREAKER)
                .requestVolumeThreshold(breaker.requestVolume())
                .failureRatio(breaker.failureRatio())
                .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(breaker.successThreshold())
                .done()
                .build();
    }

    /** The ids {@code userId} follows now; empty when user-service does not know them or does not answer. */
    public Uni<Optional<Set<String>>> following(String userId) {
        return guard.get(() -> api.following(userId)
                        .map(answer -> answer == null || answer.following() == null ? Optional.<Set<String>>empty()
                                : Optional.<Set<String>>of(Set.copyOf(answer.following())))
                        // an account user-service does not hold is an answer, not a failure the breaker counts
                        .onFailure(UserServiceClient::isNotFound).recoverWithItem(Optional.empty()))
                .onFailure().recoverWithItem(failure -> unavailable(userId, failure));
    }

    private static Optional<Set<String>> unavailable(String userId, Throwable failure) {
        if (failure instanceof CircuitBreakerOpenException) {
            LOG.debugf("user-service breaker open; following of %s from the read model", userId);
        } else {
            LOG.warnf("user-service did not say whom %s follows (%s); using the read model", userId, failure.toString());
        }
        return Optional.empty();
    }

    private static boolean isNotFound(Throwable e) {
        return e instanceof WebApplicationException w && w.getResponse() != null && w.getResponse().getStatus() == 404;
    }
}

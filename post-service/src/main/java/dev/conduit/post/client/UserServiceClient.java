package dev.conduit.post.client;

import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.Set;

/**
 * Asks user-service whom a reader follows right now: the authors read model learns a follow only
 * when its event arrives, a fraction of a second after user-service acknowledged it, and a reader
 * must see their own follow at once. Bounded: an answer within the timeout or none, and after
 * repeated failures the breaker stops asking for a while; no answer means "use the read model".
 */
@ApplicationScoped
public class UserServiceClient {

    public static final String BREAKER = "user-service-following";
    private static final Logger LOG = Logger.getLogger(UserServiceClient.class);

    private final UserServiceApi api;

    public UserServiceClient(@RestClient UserServiceApi api) {
        this.api = api;
    }

    /** The ids {@code userId} follows now; empty when user-service does not know them or does not answer. */
    @AsynchronousNonBlocking
    @Timeout(500)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 5_000, successThreshold = 1)
    @CircuitBreakerName(BREAKER)
    @Fallback(fallbackMethod = "unavailable")
    public Uni<Optional<Set<String>>> following(String userId) {
        return api.following(userId)
                .map(answer -> answer == null || answer.following() == null ? Optional.<Set<String>>empty()
                        : Optional.<Set<String>>of(Set.copyOf(answer.following())))
                // an account user-service does not hold is an answer, not a failure the breaker counts
                .onFailure(UserServiceClient::isNotFound).recoverWithItem(Optional.empty());
    }

    Uni<Optional<Set<String>>> unavailable(String userId, Throwable failure) {
        if (failure instanceof CircuitBreakerOpenException) {
            LOG.debugf("user-service breaker open; following of %s from the read model", userId);
        } else {
            LOG.warnf("user-service did not say whom %s follows (%s); using the read model", userId, failure.toString());
        }
        return Uni.createFrom().item(Optional.empty());
    }

    private static boolean isNotFound(Throwable e) {
        return e instanceof WebApplicationException w && w.getResponse() != null && w.getResponse().getStatus() == 404;
    }
}

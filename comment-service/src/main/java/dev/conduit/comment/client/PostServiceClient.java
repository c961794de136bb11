package dev.conduit.comment.client;

import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Asks post-service which article a slug names, for the moment between an article's publication
 * and the arrival of its event. Bounded: an answer within the timeout or none, and after repeated
 * failures the breaker stops asking for a while. "No such article" is an answer, not a failure.
 */
@ApplicationScoped
public class PostServiceClient {

    public static final String BREAKER = "post-service-lookup";
    private static final Logger LOG = Logger.getLogger(PostServiceClient.class);

    /** FOUND with the article, NOT_FOUND (post-service says there is none), or UNAVAILABLE (no answer). */
    public record Lookup(Status status, ArticleRef article) {
        public enum Status { FOUND, NOT_FOUND, UNAVAILABLE }

        static Lookup found(ArticleRef article) {
            return new Lookup(Status.FOUND, article);
        }

        static Lookup notFound() {
            return new Lookup(Status.NOT_FOUND, null);
        }

        static Lookup unavailable() {
            return new Lookup(Status.UNAVAILABLE, null);
        }
    }

    private final PostServiceApi api;

    public PostServiceClient(@RestClient PostServiceApi api) {
        this.api = api;
    }

    @AsynchronousNonBlocking
    @Timeout(1000)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 10_000, successThreshold = 1)
    @CircuitBreakerName(BREAKER)
    @Fallback(fallbackMethod = "unavailable")
    public Uni<Lookup> bySlug(String slug) {
        return api.bySlug(slug)
                .map(article -> article == null || article.articleId() == null ? Lookup.notFound() : Lookup.found(article))
                .onFailure(PostServiceClient::isNotFound).recoverWithItem(Lookup.notFound());
    }

    Uni<Lookup> unavailable(String slug, Throwable failure) {
        LOG.warnf("post-service did not answer for slug %s: %s", slug, failure.toString());
        return Uni.createFrom().item(Lookup.unavailable());
    }

    private static boolean isNotFound(Throwable e) {
        return e instanceof WebApplicationException w && w.getResponse() != null && w.getResponse().getStatus() == 404;
    }
}

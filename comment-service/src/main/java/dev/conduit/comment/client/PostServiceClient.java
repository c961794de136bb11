package dev.conduit.comment.client;

import dev.conduit.comment.config.CommentConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.temporal.ChronoUnit;

/**
 * Asks post-service which article a slug names, for the moment between an article's publication
 * and the arrival of its event. Bounded: an answer within the timeout or none, and after repeated
 * failures the breaker stops asking for a while. "No such article" is an answer, not a failure.
 * The guard is SmallRye Fault Tolerance's, built from {@link CommentConfig#postService()}.
 *
 * <p>Created at start-up, so that its named breaker exists for {@code CircuitBreakerMaintenance}
 * before the first call.
 */
@Startup
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
    private final TypedGuard<Uni<Lookup>> guard;

    public PostServiceClient(@RestClient PostServiceApi api, CommentConfig config) {
        this.api = api;
        CommentConfig.PostServiceCalls calls = config.postService();
        CommentConfig.Breaker breaker = calls.breaker();
        this.guard = TypedGuard.create(new TypeLiteral<Uni<Lookup>>() { })
                .withDescription(PostServiceClient.class.getName() + ".bySlug")
                .withTimeout().duration(calls.timeout().toMillis(), ChronoUnit.MILLIS).done()
                .withCircuitBreaker().name(BREAKER)
                .requestVolumeThreshold(breaker.requestVolume())
                .failureRatio(breaker.failureRatio())
                .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(breaker.successThreshold())
                .done()
                .build();
    }

    public Uni<Lookup> bySlug(String slug) {
        return guard.get(() -> api.bySlug(slug)
                        .map(article -> article == null || article.articleId() == null ? Lookup.notFound() : Lookup.found(article))
                        .onFailure(PostServiceClient::isNotFound).recoverWithItem(Lookup.notFound()))
                .onFailure().recoverWithItem(failure -> unavailable(slug, failure));
    }

    private static Lookup unavailable(String slug, Throwable failure) {
        LOG.warnf("post-service did not answer for slug %s: %s", slug, failure.toString());
        return Lookup.unavailable();
    }

    private static boolean isNotFound(Throwable e) {
        return e instanceof WebApplicationException w && w.getResponse() != null && w.getResponse().getStatus() == 404;
    }
}

package dev.conduit.comment.service;

import dev.conduit.comment.readmodel.ArticleDocument;
import dev.conduit.comment.client.PostServiceClient;
import dev.conduit.comment.readmodel.ArticleRepository;
import dev.conduit.support.error.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Which article a slug names. The read model fed by post-service's events answers; only when it
 * knows no live article under the slug (its {@code ArticlePublished} may still be in flight) is
 * post-service asked, once, and its answer remembered in the read model, where later events
 * refine it by version.
 */
@ApplicationScoped
public class ArticleLocator {

    private final ArticleRepository articles;
    private final PostServiceClient postService;

    public ArticleLocator(ArticleRepository articles, PostServiceClient postService) {
        this.articles = articles;
        this.postService = postService;
    }

    /** The live article under {@code slug}; 404 if there is none, 503 if that cannot be known now. */
    public Uni<ArticleDocument> bySlug(String slug) {
        return articles.findLiveBySlug(slug)
                .chain(known -> known != null ? Uni.createFrom().item(known) : askPostService(slug));
    }

    private Uni<ArticleDocument> askPostService(String slug) {
        return postService.bySlug(slug).chain(lookup -> switch (lookup.status()) {
            case NOT_FOUND -> Uni.createFrom().failure(ApiException.notFound("article"));
            case UNAVAILABLE -> Uni.createFrom().failure(
                    new ApiException(503, "the article cannot be checked right now, try again"));
            case FOUND -> {
                var found = lookup.article();
                yield articles.upsertIfNewer(found.articleId(), found.version(), found.slug(), found.authorId(), false, Instant.now())
                        // what is held now: the answer, or newer news from an event (a rename, a delete)
                        .chain(() -> articles.findById(found.articleId()))
                        .map(held -> {
                            if (held == null || held.deleted || !slug.equals(held.slug)) {
                                throw ApiException.notFound("article");
                            }
                            return held;
                        });
            }
        });
    }
}

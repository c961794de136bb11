package dev.conduit.post.rest;

import dev.conduit.post.service.ArticleService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * For other services inside the cluster (comment-service asks once for an article it has no
 * event of yet). The gateway does not route {@code /internal}; network policy keeps it in.
 */
@Path("/internal/articles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class InternalArticleResource {

    private final ArticleService service;

    public InternalArticleResource(ArticleService service) {
        this.service = service;
    }

    @GET
    @Path("by-slug/{slug}")
    public Uni<ArticleRefResponse> bySlug(@PathParam("slug") String slug) {
        return service.reference(slug).map(a -> new ArticleRefResponse(a.id.toHexString(), a.slug, a.authorId, a.version));
    }
}

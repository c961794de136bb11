package dev.conduit.post.rest;

import dev.conduit.post.service.ArticleService;
import dev.conduit.support.error.ApiException;
import dev.conduit.support.security.Callers;
import io.smallrye.mutiny.Uni;
import org.bson.types.ObjectId;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;

/**
 * For other services inside the cluster (comment-service asks once for an article it has no
 * event of yet). The gateway does not route {@code /internal}; network policy keeps it in.
 */
@Path("/internal/articles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class InternalArticleResource {

    /** The most ids one hydration may ask for: trending-service never shows more than 100 articles. */
    static final int MAX_IDS = 100;

    private final ArticleService service;
    private final Callers callers;

    public InternalArticleResource(ArticleService service, Callers callers) {
        this.service = service;
        this.callers = callers;
    }

    /**
     * Article views by id (comma-separated, at most {@value #MAX_IDS}), in the order asked for, as
     * {@code GET /api/articles} shows them to the caller of the forwarded token; deleted and unknown
     * ids are left out.
     */
    @GET
    public Uni<ArticleListResponse> byIds(@QueryParam("ids") String ids) {
        List<ObjectId> parsed = parseIds(ids);
        return callers.optional()
                .chain(caller -> service.byIds(parsed, caller.orElse(null)))
                .map(ArticleMapper::toResponse);
    }

    static List<ObjectId> parseIds(String ids) {
        if (ids == null || ids.isBlank()) {
            throw ApiException.invalid("ids is required: comma-separated article ids");
        }
        String[] parts = ids.split(",", -1);
        if (parts.length > MAX_IDS) {
            throw ApiException.invalid("ids may name at most " + MAX_IDS + " articles");
        }
        List<ObjectId> parsed = new ArrayList<>(parts.length);
        for (String part : parts) {
            String id = part.trim();
            if (!ObjectId.isValid(id)) {
                throw ApiException.invalid("ids must be article ids (24 hex digits)");
            }
            parsed.add(new ObjectId(id));
        }
        return parsed;
    }

    @GET
    @Path("by-slug/{slug}")
    public Uni<ArticleRefResponse> bySlug(@PathParam("slug") String slug) {
        return service.reference(slug).map(a -> new ArticleRefResponse(a.id.toHexString(), a.slug, a.authorId, a.version));
    }
}

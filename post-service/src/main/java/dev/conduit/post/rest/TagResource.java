package dev.conduit.post.rest;

import dev.conduit.post.service.ArticleService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /tags}: every tag in use, sorted. */
@Path("/tags")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class TagResource {

    private final ArticleService service;

    public TagResource(ArticleService service) {
        this.service = service;
    }

    @GET
    public Uni<TagsResponse> tags() {
        return service.tags().map(TagsResponse::new);
    }
}

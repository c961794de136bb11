package dev.conduit.post.rest;

import dev.conduit.post.config.PostConfig;
import dev.conduit.post.service.ArticleService;
import dev.conduit.support.rest.Paging;
import dev.conduit.support.security.Callers;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Articles, the feed and favorites. Reading needs no token; writing does. */
@Path("/articles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class ArticleResource {

    private final ArticleService service;
    private final Callers callers;
    private final PostConfig config;

    public ArticleResource(ArticleService service, Callers callers, PostConfig config) {
        this.service = service;
        this.callers = callers;
        this.config = config;
    }

    @GET
    public Uni<ArticleListResponse> list(@QueryParam("tag") String tag, @QueryParam("author") String author,
                                         @QueryParam("favorited") String favorited,
                                         @QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        Paging paging = Paging.parse(offset, limit, config.defaultLimit(), config.maxLimit());
        ArticleService.Filter filter = new ArticleService.Filter(blankToNull(tag), blankToNull(author), blankToNull(favorited));
        return callers.optional()
                .chain(caller -> service.list(filter, paging.offset(), paging.limit(), caller.orElse(null)))
                .map(ArticleMapper::toResponse);
    }

    @GET
    @Authenticated
    @Path("feed")
    public Uni<ArticleListResponse> feed(@QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        Paging paging = Paging.parse(offset, limit, config.defaultLimit(), config.maxLimit());
        return callers.required()
                .chain(caller -> service.feed(caller, paging.offset(), paging.limit()))
                .map(ArticleMapper::toResponse);
    }

    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@Valid @NotNull(message = "is required") NewArticleRequest body) {
        NewArticleRequest.NewArticle a = body.article();
        return callers.required()
                .chain(caller -> service.create(caller, new ArticleService.Draft(a.title(), a.description(), a.body(), a.tagList())))
                .map(view -> Response.status(Response.Status.CREATED)
                        // a path, not an absolute URI: only the gateway knows the public host
                        .header(HttpHeaders.LOCATION, config.publicPathPrefix() + "/articles/"
                                + URLEncoder.encode(view.article().slug, StandardCharsets.UTF_8))
                        .entity(ArticleMapper.toResponse(view))
                        .build());
    }

    @GET
    @Path("{slug}")
    public Uni<ArticleResponse> get(@PathParam("slug") String slug) {
        return callers.optional().chain(caller -> service.get(slug, caller.orElse(null))).map(ArticleMapper::toResponse);
    }

    @PUT
    @Authenticated
    @Path("{slug}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ArticleResponse> update(@PathParam("slug") String slug, @Valid @NotNull(message = "is required") UpdateArticleRequest body) {
        UpdateArticleRequest.Changes c = body.article();
        return callers.required()
                .chain(caller -> service.update(caller, slug, new ArticleService.Draft(c.title(), c.description(), c.body(), c.tagList())))
                .map(ArticleMapper::toResponse);
    }

    @DELETE
    @Authenticated
    @Path("{slug}")
    public Uni<Response> delete(@PathParam("slug") String slug) {
        return callers.required().chain(caller -> service.delete(caller, slug)).map(ignored -> Response.noContent().build());
    }

    @POST
    @Authenticated
    @Path("{slug}/favorite")
    public Uni<ArticleResponse> favorite(@PathParam("slug") String slug) {
        return callers.required().chain(caller -> service.favorite(caller, slug)).map(ArticleMapper::toResponse);
    }

    @DELETE
    @Authenticated
    @Path("{slug}/favorite")
    public Uni<ArticleResponse> unfavorite(@PathParam("slug") String slug) {
        return callers.required().chain(caller -> service.unfavorite(caller, slug)).map(ArticleMapper::toResponse);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}

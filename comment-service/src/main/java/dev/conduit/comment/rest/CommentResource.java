package dev.conduit.comment.rest;

import dev.conduit.comment.service.CommentService;
import dev.conduit.support.error.ApiException;
import dev.conduit.comment.config.CommentConfig;
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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Comments on an article: anyone may read them, a signed-in user may write, only the author may delete. */
@Path("/articles/{slug}/comments")
@Produces(MediaType.APPLICATION_JSON)
public class CommentResource {

    private final CommentService service;
    private final Callers callers;
    private final CommentConfig config;

    public CommentResource(CommentService service, Callers callers, CommentConfig config) {
        this.service = service;
        this.callers = callers;
        this.config = config;
    }

    /**
     * Oldest first, one page: {@code limit} (default {@code conduit.comment.default-limit}, at most
     * {@code conduit.comment.max-limit}) and {@code offset}, an extension of the RealWorld operation
     * that clients which do not page never notice.
     */
    @GET
    public Uni<CommentListResponse> list(@PathParam("slug") String slug, @QueryParam("offset") String offset,
                                         @QueryParam("limit") String limit) {
        Paging paging = Paging.parse(offset, limit, config.defaultLimit(), config.maxLimit());
        return callers.optional()
                .chain(caller -> service.list(slug, caller.orElse(null), paging.offset(), paging.limit()))
                .map(CommentMapper::toResponse);
    }

    /**
     * 200, not 201: the RealWorld contract answers a new comment with 200. {@code @Authenticated}
     * makes an anonymous caller a 401 before the body is even read.
     */
    @POST
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<CommentResponse> add(@PathParam("slug") String slug,
                                    @Valid @NotNull(message = "is required") NewCommentRequest comment) {
        return callers.required()
                .chain(caller -> service.add(slug, caller, comment.comment().body()))
                .map(CommentMapper::toResponse);
    }

    @DELETE
    @Authenticated
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> delete(@PathParam("slug") String slug, @PathParam("id") String id) {
        return callers.required()
                .chain(caller -> service.delete(slug, caller, commentId(id)))
                .map(ignored -> Response.noContent().build());
    }

    /** Ids are positive integers; anything else names no comment (404, never a 500). */
    private static long commentId(String id) {
        try {
            long value = Long.parseLong(id);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the 404
        }
        throw ApiException.notFound("comment");
    }
}

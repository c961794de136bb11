package dev.conduit.comment.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** post-service's internal lookup (not routed by the gateway). Base URL: {@code POST_SERVICE_URL}. */
@RegisterRestClient(configKey = "post-service")
@Path("/internal/articles")
@Produces(MediaType.APPLICATION_JSON)
public interface PostServiceApi {

    /** 200 with the article, or 404 (a {@code WebApplicationException}) when no article has that slug. */
    @GET
    @Path("by-slug/{slug}")
    Uni<ArticleRef> bySlug(@PathParam("slug") String slug);
}

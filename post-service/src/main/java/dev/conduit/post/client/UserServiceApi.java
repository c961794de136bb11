package dev.conduit.post.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** user-service's internal follow lookup (not routed by the gateway). Base URL: {@code USER_SERVICE_URL}. */
@RegisterRestClient(configKey = "user-service")
@Path("/internal/users")
@Produces(MediaType.APPLICATION_JSON)
public interface UserServiceApi {

    /** 200 with whom the user follows, or 404 (a {@code WebApplicationException}) for an unknown user. */
    @GET
    @Path("{id}/following")
    Uni<Followees> following(@PathParam("id") String userId);
}

package dev.conduit.user.rest;

import dev.conduit.user.service.UserService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.bson.types.ObjectId;

/**
 * For other services inside the cluster: post-service asks whom a reader follows when it builds
 * that reader's feed, so a follow shows at once rather than when its event arrives. The gateway
 * does not route {@code /internal}; network policy keeps it in.
 */
@Path("/internal/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class InternalUserResource {

    private final UserService service;

    public InternalUserResource(UserService service) {
        this.service = service;
    }

    /** 200 with the ids the user follows now, 404 for an unknown id. */
    @GET
    @Path("{id}/following")
    public Uni<FollowingResponse> following(@PathParam("id") String id) {
        return service.account(id).map(user -> new FollowingResponse(user.id.toHexString(),
                user.following.stream().map(ObjectId::toHexString).toList(), user.version));
    }
}

package dev.conduit.user.rest;

import dev.conduit.support.security.Callers;
import dev.conduit.user.service.UserService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Profiles and follows. Reading a profile needs no token; following does. */
@Path("/profiles/{username}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class ProfileResource {

    private final UserService service;
    private final Callers callers;

    public ProfileResource(UserService service, Callers callers) {
        this.service = service;
        this.callers = callers;
    }

    @GET
    public Uni<ProfileResponse> profile(@PathParam("username") String username) {
        return callers.optional()
                .chain(caller -> service.profile(username, caller.orElse(null)))
                .map(UserMapper::toResponse);
    }

    @POST
    @Authenticated
    @Path("follow")
    public Uni<ProfileResponse> follow(@PathParam("username") String username) {
        return callers.required().chain(caller -> service.follow(caller, username)).map(UserMapper::toResponse);
    }

    @DELETE
    @Authenticated
    @Path("follow")
    public Uni<ProfileResponse> unfollow(@PathParam("username") String username) {
        return callers.required().chain(caller -> service.unfollow(caller, username)).map(UserMapper::toResponse);
    }
}

package dev.conduit.user.rest;

import dev.conduit.support.security.Callers;
import dev.conduit.user.config.UserConfig;
import dev.conduit.user.service.UserService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Registration, login and the current user. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserResource {

    private final UserService service;
    private final Callers callers;
    private final UserConfig config;

    public UserResource(UserService service, Callers callers, UserConfig config) {
        this.service = service;
        this.callers = callers;
        this.config = config;
    }

    @POST
    @Path("users")
    public Uni<Response> register(@Valid @NotNull(message = "is required") NewUserRequest body) {
        NewUserRequest.NewUser u = body.user();
        return service.register(u.username(), u.email(), u.password())
                // a path, not an absolute URI: only the gateway knows the public host
                .map(session -> Response.status(Response.Status.CREATED)
                        .header(HttpHeaders.LOCATION, config.publicPathPrefix() + "/profiles/"
                                // non-ASCII letters are percent-encoded; the allowed punctuation needs no encoding
                                + URLEncoder.encode(session.user().username, StandardCharsets.UTF_8))
                        .entity(UserMapper.toResponse(session.user(), session.token()))
                        .build());
    }

    @POST
    @Path("users/login")
    public Uni<UserResponse> login(@Valid @NotNull(message = "is required") LoginRequest body) {
        return service.login(body.user().email(), body.user().password())
                .map(session -> UserMapper.toResponse(session.user(), session.token()));
    }

    @GET
    @Authenticated
    @Path("user")
    @Consumes(MediaType.WILDCARD)
    public Uni<UserResponse> current() {
        return callers.required()
                .chain(caller -> service.current(caller).map(user -> UserMapper.toResponse(user, caller.token())));
    }

    @PUT
    @Authenticated
    @Path("user")
    public Uni<UserResponse> update(@Valid @NotNull(message = "is required") UpdateUserRequest body) {
        return callers.required()
                .chain(caller -> service.update(caller, body.user().toCommand()))
                .map(session -> UserMapper.toResponse(session.user(), session.token()));
    }
}

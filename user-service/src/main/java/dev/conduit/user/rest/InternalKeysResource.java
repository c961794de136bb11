package dev.conduit.user.rest;

import dev.conduit.user.config.UserConfig;
import dev.conduit.user.security.SigningKeys;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The public keys that verify this service's tokens, as a JWK set (RFC 7517), each with its
 * {@code kid}: the gateway and the other services fetch it and keep it as long as
 * {@code Cache-Control: max-age} says. Internal like the rest of {@code /internal}: the gateway does
 * not route it and network policy admits only the verifiers.
 */
@Path("/internal/jwks")
@Consumes(MediaType.WILDCARD)
public class InternalKeysResource {

    static final String JWK_SET = "application/jwk-set+json";

    private final SigningKeys keys;
    private final UserConfig config;

    public InternalKeysResource(SigningKeys keys, UserConfig config) {
        this.keys = keys;
        this.config = config;
    }

    @GET
    @Produces({JWK_SET, MediaType.APPLICATION_JSON})
    public Response jwks() {
        return Response.ok(keys.current().jwks(), JWK_SET)
                .header(HttpHeaders.CACHE_CONTROL, "max-age=" + config.keys().cacheLifetime().toSeconds())
                .build();
    }
}

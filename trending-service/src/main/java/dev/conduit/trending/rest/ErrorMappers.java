package dev.conduit.trending.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Map;

/**
 * Every failure as the RealWorld error envelope {@code {"errors":{"body":[...]}}}. (service-support
 * has the same for the MongoDB services; it is not a dependency here because its beans need MongoDB.)
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    public static Response envelope(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("errors", Map.of("body", List.of(message)))).build();
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response response = envelope(e.status(), e.getMessage());
        if (e.retryAfterSeconds() != null) {
            response.getHeaders().putSingle("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        return response;
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return envelope(status, status == 404 ? "not found" : e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected failure", e);
        return envelope(500, "internal error");
    }
}

package dev.conduit.support.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import dev.conduit.support.security.Callers;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one place where every failure becomes the RealWorld error envelope with its status: 401,
 * 403, 404, 422 for what the caller got wrong, 400 for unreadable JSON, 409 for a write that lost a
 * race, 503 while the database cannot serve, 500 (with no detail) for our own faults. Nothing ever
 * leaks a stack trace.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    /** The server's label on a write that failed for a transient reason (e.g. an election). */
    private static final String RETRYABLE_WRITE = "RetryableWriteError";

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return envelope(e.status(), e.messages());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<String> messages = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing((ConstraintViolation<?> v) -> v.getPropertyPath().toString())
                        .thenComparing(ConstraintViolation::getMessage))
                .map(v -> field(v.getPropertyPath()) + " " + v.getMessage())
                .distinct()
                .collect(Collectors.toList());
        return envelope(422, messages);
    }

    /** Well-formed JSON of the wrong shape: a string where an object belongs, a number for a name. */
    @ServerExceptionMapper(priority = 1)
    public Response wrongType(MismatchedInputException e) {
        String field = e.getPath().stream()
                .map(JsonMappingException.Reference::getFieldName)
                .filter(f -> f != null)
                .reduce((a, b) -> b)
                .orElse("body");
        return envelope(422, List.of(field + " has the wrong type"));
    }

    @ServerExceptionMapper(priority = 2)
    public Response unreadable(JsonProcessingException e) {
        return envelope(400, List.of("body is not valid JSON"));
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e) {
        return envelope(401, List.of(Callers.INVALID_TOKEN));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return envelope(401, List.of(Callers.INVALID_TOKEN));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return envelope(403, List.of("forbidden"));
    }

    /** Framework answers (unknown route 404, 405, 415, bad query parameter) in the same envelope. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof MismatchedInputException mismatch) {
                return wrongType(mismatch);
            }
            if (cause instanceof JsonProcessingException unreadable) {
                return unreadable(unreadable);
            }
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
            return envelope(status, List.of("internal error"));
        }
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        return envelope(status, List.of(reason == null || reason.isBlank() ? "request refused" : reason.toLowerCase()));
    }

    /** MongoDB unreachable (server selection timed out): the service is unavailable, not broken. */
    @ServerExceptionMapper
    public Response databaseUnavailable(MongoTimeoutException e) {
        return databaseBusy(e);
    }

    /**
     * A write refused by a unique index that the service did not turn into its own answer: the
     * stored state changed under the request, a conflict (409), not our fault. A primary stepping
     * down or a node recovering (a replica set election) is a 503 the client may retry. Anything
     * else from the server stays a 500.
     */
    @ServerExceptionMapper
    public Response databaseRefused(MongoServerException e) {
        if (isDuplicateKey(e)) {
            LOG.warn("unexpected duplicate key, answered as a conflict: " + e.getMessage());
            return envelope(409, List.of("the request conflicted with a concurrent change, try again"));
        }
        if (e instanceof MongoNotPrimaryException || e instanceof MongoNodeIsRecoveringException
                || e.hasErrorLabel(RETRYABLE_WRITE)) {
            return databaseBusy(e);
        }
        return unexpected(e);
    }

    /** The connection to MongoDB broke or timed out mid-request: unavailable for now, not broken. */
    @ServerExceptionMapper
    public Response databaseConnectionLost(MongoSocketException e) {
        return databaseBusy(e);
    }

    /** The driver dropped its connections after one broke, failing the requests waiting for one. */
    @ServerExceptionMapper
    public Response databaseConnectionsReset(MongoConnectionPoolClearedException e) {
        return databaseBusy(e);
    }

    private static Response databaseBusy(MongoException e) {
        LOG.warn("database unavailable: " + e.getMessage());
        return envelope(503, List.of("the service is temporarily unavailable, try again"));
    }

    private static boolean isDuplicateKey(MongoServerException e) {
        if (e instanceof MongoBulkWriteException bulk) {
            return bulk.getWriteErrors().stream().anyMatch(w -> w.getCategory() == ErrorCategory.DUPLICATE_KEY);
        }
        if (e instanceof MongoWriteException write) {
            return write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
        }
        return ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY;
    }

    @ServerExceptionMapper(priority = 10000)
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return envelope(500, List.of("internal error"));
    }

    public static Response envelope(int status, List<String> messages) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorEnvelope.of(messages)).build();
    }

    /**
     * The last named node of a property path: {@code register.request.user.email} becomes
     * {@code email}, and a list element reports its list ({@code tagList}).
     */
    private static String field(Path path) {
        String name = null;
        for (Path.Node node : path) {
            if (node.getKind() != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
                name = node.getName();
            }
        }
        return name == null ? "body" : name;
    }
}

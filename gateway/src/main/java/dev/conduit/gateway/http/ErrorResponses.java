package dev.conduit.gateway.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The RealWorld error envelope, {@code {"errors":{"body":["..."]}}}, for every answer the gateway makes itself. */
public final class ErrorResponses {

    /**
     * The one message of every 401, the gateway's and the services' alike (the public OpenAPI
     * document's {@code x-conduit-unauthorized-message}): which token problem it was helps only an
     * attacker.
     */
    public static final String UNAUTHORIZED = "token is missing, invalid or expired";

    private ErrorResponses() {
    }

    public static String envelope(String message) {
        return new JsonObject().put("errors", new JsonObject().put("body", new JsonArray().add(message))).encode();
    }

    /** Ends the response with the envelope; a response already under way is aborted instead. */
    public static void send(HttpServerRequest request, int status, String message) {
        send(request, status, message, false);
    }

    /**
     * As {@link #send(HttpServerRequest, int, String)}; {@code closeConnection} for a request whose
     * body is left unread (paused, or too large to read), which would otherwise be parsed as the next
     * request on a kept-alive connection.
     */
    public static void send(HttpServerRequest request, int status, String message, boolean closeConnection) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        if (closeConnection) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .end(envelope(message));
    }
}

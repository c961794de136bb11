package dev.conduit.gateway.http;

import io.vertx.core.http.HttpServerRequest;

import java.util.UUID;
import java.util.regex.Pattern;

/** The {@code X-Request-Id} of a request: the caller's when it is sane, a new UUID otherwise. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    /** The MDC key the log format prints. */
    public static final String MDC_KEY = "requestId";
    /** The attribute of the gateway's server span that holds the id. */
    public static final String SPAN_ATTRIBUTE = "conduit.request_id";

    // ids end up in log lines and headers: no spaces, no control characters, bounded length
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

    private RequestIds() {
    }

    /** Chooses the request's id and writes it into the request's headers, where {@link #of} finds it. */
    public static String assign(HttpServerRequest request) {
        String given = request.getHeader(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        request.headers().set(HEADER, id);
        return id;
    }

    public static String of(HttpServerRequest request) {
        return request.getHeader(HEADER);
    }
}

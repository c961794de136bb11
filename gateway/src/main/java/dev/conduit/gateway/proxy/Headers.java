package dev.conduit.gateway.proxy;

import dev.conduit.gateway.http.RequestIds;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Which headers cross the gateway, both ways; shared by the buffered-body and the stream exchanges. */
final class Headers {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    private Headers() {
    }

    /**
     * The client's headers as sent to a service: without hop-by-hop ones, {@code Host} and
     * {@code Expect}, without the caller's trace context when Vert.x' tracer adds the gateway's own,
     * with {@code X-Forwarded-*} and the request id added.
     */
    static MultiMap forwarded(HttpServerRequest request, boolean tracing) {
        MultiMap in = request.headers();
        Set<String> skip = connectionTokens(in);
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        for (var header : in) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!skip.contains(name) && !name.equals("host") && !name.equals("expect")
                    && !(tracing && TraceHeaders.isTraceContext(name))) {
                out.add(header.getKey(), header.getValue());
            }
        }
        String client = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        if (client != null) {
            String previous = in.get("X-Forwarded-For");
            out.set("X-Forwarded-For", previous == null ? client : previous + ", " + client);
        }
        if (!out.contains("X-Forwarded-Proto")) {
            out.set("X-Forwarded-Proto", request.scheme());
        }
        if (!out.contains("X-Forwarded-Host") && in.get(HttpHeaders.HOST) != null) {
            out.set("X-Forwarded-Host", in.get(HttpHeaders.HOST));
        }
        out.set(RequestIds.HEADER, RequestIds.of(request));
        return out;
    }

    /** A service's response headers onto the client's response, without hop-by-hop, CORS and request id headers. */
    static void copyResponse(MultiMap in, HttpServerResponse response) {
        Set<String> skip = connectionTokens(in);
        for (var header : in) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            // CORS and the request id are the gateway's to answer; a second copy would break browsers
            if (skip.contains(name) || name.startsWith("access-control-") || name.equals("x-request-id")) {
                continue;
            }
            response.headers().add(header.getKey(), header.getValue());
        }
    }

    static boolean declaresBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                || (length != null && !length.trim().equals("0"));
    }

    /** The hop-by-hop headers plus any header a {@code Connection} header names. */
    private static Set<String> connectionTokens(MultiMap headers) {
        Set<String> names = new HashSet<>(HOP_BY_HOP);
        for (String value : headers.getAll(HttpHeaders.CONNECTION)) {
            for (String token : value.split(",")) {
                names.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}

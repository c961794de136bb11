package dev.conduit.gateway.proxy;

import io.vertx.core.http.HttpMethod;

import java.util.List;

/**
 * One operation of the public contract: method and path pattern below {@code /api} (segments in
 * braces match any one segment), the service that owns it, its token policy, and whether it answers
 * with a long-lived Server-Sent Events stream (relayed as it arrives, limited in number, no retry).
 */
public record ApiRoute(HttpMethod method, String pattern, Service service, AuthPolicy auth, boolean authEndpoint,
                       boolean stream) {

    public ApiRoute(HttpMethod method, String pattern, Service service, AuthPolicy auth, boolean authEndpoint) {
        this(method, pattern, service, auth, authEndpoint, false);
    }

    /** A {@code GET} answered with a {@code text/event-stream}. */
    static ApiRoute stream(String pattern, Service service, AuthPolicy auth) {
        return new ApiRoute(HttpMethod.GET, pattern, service, auth, false, true);
    }

    private List<String> segments() {
        return List.of(pattern.substring(1).split("/"));
    }

    boolean matches(String[] pathSegments) {
        List<String> expected = segments();
        if (expected.size() != pathSegments.length) {
            return false;
        }
        for (int i = 0; i < pathSegments.length; i++) {
            String part = expected.get(i);
            boolean variable = part.startsWith("{");
            if (pathSegments[i].isEmpty() || (!variable && !part.equals(pathSegments[i]))) {
                return false;
            }
        }
        return true;
    }
}

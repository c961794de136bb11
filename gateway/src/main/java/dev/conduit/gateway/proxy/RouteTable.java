package dev.conduit.gateway.proxy;

import io.vertx.core.http.HttpMethod;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.conduit.gateway.proxy.AuthPolicy.IGNORED;
import static dev.conduit.gateway.proxy.AuthPolicy.OPTIONAL;
import static dev.conduit.gateway.proxy.AuthPolicy.REQUIRED;
import static dev.conduit.gateway.proxy.Service.COMMENT;
import static dev.conduit.gateway.proxy.Service.POST;
import static dev.conduit.gateway.proxy.Service.TRENDING;
import static dev.conduit.gateway.proxy.Service.USER;
import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PUT;

/**
 * Every operation of the public contract ({@code META-INF/openapi.yaml}), the service that owns it
 * and its token policy, written next to the route rather than derived from its method.
 * {@code RouteTableContractTest} checks it against the document, which is the one source of which
 * operation needs a token (REQUIRED exactly where the document has {@code security}).
 */
public final class RouteTable {

    /** What a request path and method resolve to. */
    public sealed interface Match permits Found, NotFound, MethodNotAllowed {
    }

    public record Found(ApiRoute route) implements Match {
    }

    public record NotFound() implements Match {
    }

    public record MethodNotAllowed(Set<HttpMethod> allowed) implements Match {
    }

    // literal segments before variables: /articles/feed must win over /articles/{slug}
    private static final List<ApiRoute> ROUTES = List.of(
            new ApiRoute(HttpMethod.POST, "/users/login", USER, IGNORED, true),
            new ApiRoute(HttpMethod.POST, "/users", USER, IGNORED, true),
            new ApiRoute(GET, "/user", USER, REQUIRED, false),
            new ApiRoute(PUT, "/user", USER, REQUIRED, false),
            new ApiRoute(GET, "/profiles/{username}", USER, OPTIONAL, false),
            new ApiRoute(HttpMethod.POST, "/profiles/{username}/follow", USER, REQUIRED, false),
            new ApiRoute(DELETE, "/profiles/{username}/follow", USER, REQUIRED, false),
            new ApiRoute(GET, "/articles/feed", POST, REQUIRED, false),
            new ApiRoute(GET, "/articles", POST, OPTIONAL, false),
            new ApiRoute(HttpMethod.POST, "/articles", POST, REQUIRED, false),
            new ApiRoute(GET, "/articles/{slug}", POST, OPTIONAL, false),
            new ApiRoute(PUT, "/articles/{slug}", POST, REQUIRED, false),
            new ApiRoute(DELETE, "/articles/{slug}", POST, REQUIRED, false),
            new ApiRoute(HttpMethod.POST, "/articles/{slug}/favorite", POST, REQUIRED, false),
            new ApiRoute(DELETE, "/articles/{slug}/favorite", POST, REQUIRED, false),
            new ApiRoute(GET, "/articles/{slug}/comments", COMMENT, OPTIONAL, false),
            new ApiRoute(HttpMethod.POST, "/articles/{slug}/comments", COMMENT, REQUIRED, false),
            new ApiRoute(DELETE, "/articles/{slug}/comments/{id}", COMMENT, REQUIRED, false),
            new ApiRoute(GET, "/tags", POST, OPTIONAL, false),
            // extensions of the RealWorld contract (x-conduit-extension in the document)
            new ApiRoute(GET, "/trending/articles", TRENDING, OPTIONAL, false),
            new ApiRoute(GET, "/trending/tags", TRENDING, OPTIONAL, false),
            ApiRoute.stream("/live/articles/{slug}/comments", COMMENT, OPTIONAL),
            ApiRoute.stream("/live/feed", POST, REQUIRED));

    private RouteTable() {
    }

    /** Every route, in matching order. */
    public static List<ApiRoute> routes() {
        return ROUTES;
    }

    /** Resolves a path below {@code /api} (starting with '/') and a method. */
    public static Match match(HttpMethod method, String path) {
        String[] segments = path.length() <= 1 ? new String[] {""} : path.substring(1).split("/", -1);
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        for (ApiRoute route : ROUTES) {
            if (route.matches(segments)) {
                if (route.method().equals(method)) {
                    return new Found(route);
                }
                allowed.add(route.method());
            }
        }
        return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(allowed);
    }
}

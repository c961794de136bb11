package dev.conduit.gateway.proxy;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class RouteTableTest {

    private static ApiRoute found(HttpMethod method, String path) {
        return assertInstanceOf(RouteTable.Found.class, RouteTable.match(method, path)).route();
    }

    @Test
    void theFeedIsNotAnArticleSlugAndNeedsAToken() {
        ApiRoute feed = found(HttpMethod.GET, "/articles/feed");
        assertEquals("/articles/feed", feed.pattern());
        assertEquals(AuthPolicy.REQUIRED, feed.auth());
        assertEquals(AuthPolicy.OPTIONAL, found(HttpMethod.GET, "/articles/feeding").auth());
    }

    @Test
    void commentsBelongToCommentServiceAndTheRestOfArticlesToPostService() {
        assertEquals(Service.COMMENT, found(HttpMethod.GET, "/articles/a/comments").service());
        assertEquals(Service.COMMENT, found(HttpMethod.DELETE, "/articles/a/comments/7").service());
        assertEquals(Service.POST, found(HttpMethod.POST, "/articles/a/favorite").service());
        assertEquals(Service.USER, found(HttpMethod.GET, "/profiles/a").service());
    }

    @Test
    void onlyRegistrationAndLoginIgnoreTokensAndCountAsAuthEndpoints() {
        assertEquals(AuthPolicy.IGNORED, found(HttpMethod.POST, "/users").auth());
        assertEquals(AuthPolicy.IGNORED, found(HttpMethod.POST, "/users/login").auth());
        assertEquals(true, found(HttpMethod.POST, "/users/login").authEndpoint());
        assertEquals(false, found(HttpMethod.PUT, "/user").authEndpoint());
    }

    @Test
    void emptySegmentsAndUnknownPathsAreNotFound() {
        assertInstanceOf(RouteTable.NotFound.class, RouteTable.match(HttpMethod.GET, "/articles//comments"));
        assertInstanceOf(RouteTable.NotFound.class, RouteTable.match(HttpMethod.GET, "/articles/"));
        assertInstanceOf(RouteTable.NotFound.class, RouteTable.match(HttpMethod.GET, "/"));
        assertInstanceOf(RouteTable.NotFound.class, RouteTable.match(HttpMethod.GET, "/admin"));
    }

    @Test
    void aKnownPathWithAnotherMethodListsTheAllowedOnes() {
        RouteTable.Match match = RouteTable.match(HttpMethod.PATCH, "/user");
        assertEquals(Set.of(HttpMethod.GET, HttpMethod.PUT), assertInstanceOf(RouteTable.MethodNotAllowed.class, match).allowed());
    }
}

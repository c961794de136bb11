package dev.conduit.gateway;

import dev.conduit.gateway.http.ErrorResponses;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@WithTestResource(StubServices.class)
class EdgeAuthTest extends GatewayTestSupport {

    /** Every protected operation, with the service behind it. */
    static Stream<String[]> protectedRoutes() {
        return Stream.of(
                new String[] {"GET", "/api/user", StubServices.USER},
                new String[] {"PUT", "/api/user", StubServices.USER},
                new String[] {"POST", "/api/profiles/jake/follow", StubServices.USER},
                new String[] {"DELETE", "/api/profiles/jake/follow", StubServices.USER},
                new String[] {"GET", "/api/articles/feed", StubServices.POST},
                new String[] {"POST", "/api/articles", StubServices.POST},
                new String[] {"PUT", "/api/articles/a", StubServices.POST},
                new String[] {"DELETE", "/api/articles/a", StubServices.POST},
                new String[] {"POST", "/api/articles/a/favorite", StubServices.POST},
                new String[] {"DELETE", "/api/articles/a/favorite", StubServices.POST},
                new String[] {"POST", "/api/articles/a/comments", StubServices.COMMENT},
                new String[] {"DELETE", "/api/articles/a/comments/1", StubServices.COMMENT},
                new String[] {"GET", "/api/live/feed", StubServices.POST});
    }

    @ParameterizedTest(name = "{0} {1} without a token")
    @MethodSource("protectedRoutes")
    void protectedRoutesRefuseAMissingTokenBeforeAnyServiceIsCalled(String method, String path, String service) {
        given().contentType(ContentType.JSON).body("{}")
                .when().request(method, path)
                .then().statusCode(401)
                .header("WWW-Authenticate", "Token")
                .contentType(ContentType.JSON)
                .body("errors.body[0]", equalTo(ErrorResponses.UNAUTHORIZED));
        assertEquals(0, StubServices.receivedCount(service));
    }

    static Stream<String[]> badCredentials() {
        return Stream.of(
                new String[] {"garbage", "Token not.a.jwt", ErrorResponses.UNAUTHORIZED},
                new String[] {"expired", "Token " + Tokens.expired("jake"), ErrorResponses.UNAUTHORIZED},
                new String[] {"signed by another key", "Token " + Tokens.forged("jake"), ErrorResponses.UNAUTHORIZED},
                new String[] {"alg none", "Token " + Tokens.unsigned("jake"), ErrorResponses.UNAUTHORIZED},
                new String[] {"other issuer", "Token " + Tokens.wrongIssuer("jake"), ErrorResponses.UNAUTHORIZED},
                new String[] {"unknown scheme", "Basic amFrZTpqYWtl", ErrorResponses.UNAUTHORIZED},
                new String[] {"scheme without token", "Token ", ErrorResponses.UNAUTHORIZED});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCredentials")
    void badTokensAreRefusedAt401OnProtectedAndOptionalRoutesAlike(String label, String header, String message) {
        for (String path : new String[] {"/api/user", "/api/articles/feed", "/api/articles", "/api/profiles/jake", "/api/articles/a/comments"}) {
            given().header("Authorization", header)
                    .when().get(path)
                    .then().statusCode(401)
                    .body("errors.body[0]", equalTo(message));
        }
        assertEquals(0, StubServices.receivedCount(StubServices.USER) + StubServices.receivedCount(StubServices.POST)
                + StubServices.receivedCount(StubServices.COMMENT));
    }

    @ParameterizedTest(name = "{0} scheme")
    @CsvSource({"Token", "Bearer", "token", "BEARER"})
    void bothSchemesAreAcceptedAndTheHeaderIsForwardedUnchanged(String scheme) {
        String header = scheme + " " + Tokens.valid("jake");
        given().header("Authorization", header)
                .when().get("/api/user")
                .then().statusCode(200)
                .body("service", equalTo("user-service"));
        assertEquals(header, StubServices.single(StubServices.USER).header("Authorization"));
    }

    @Test
    void optionalRoutesServeAnonymousCallersAndPassAValidTokenOn() {
        given().when().get("/api/articles/a")
                .then().statusCode(200).body("uri", equalTo("/articles/a"));
        assertEquals(null, StubServices.single(StubServices.POST).header("Authorization"));

        StubServices.reset();
        String header = "Token " + Tokens.valid("jake");
        given().header("Authorization", header).when().get("/api/articles/a")
                .then().statusCode(200);
        assertEquals(header, StubServices.single(StubServices.POST).header("Authorization"));
    }

    @Test
    void loginAndRegistrationIgnoreAStaleTokenAFrontEndStillSends() {
        String stale = "Token " + Tokens.expired("jake");
        given().header("Authorization", stale).contentType(ContentType.JSON).body("{\"user\":{}}")
                .when().post("/api/users/login")
                .then().statusCode(200).body("uri", equalTo("/users/login"));
        given().header("Authorization", stale).contentType(ContentType.JSON).body("{\"user\":{}}")
                .when().post("/api/users")
                .then().statusCode(200).body("uri", equalTo("/users"));
        assertEquals(2, StubServices.receivedCount(StubServices.USER));
    }
}

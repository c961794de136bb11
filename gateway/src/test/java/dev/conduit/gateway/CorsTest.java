package dev.conduit.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a RealWorld front end on another origin needs (shared/realworld/README.md). */
@QuarkusTest
@WithTestResource(StubServices.class)
class CorsTest extends GatewayTestSupport {

    private static final String FRONT_END = "http://localhost:4200";

    @Test
    void preflightIsAnsweredByTheGatewayWithMethodsHeadersAndMaxAge() {
        given().header("Origin", FRONT_END)
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type,authorization")
                .when().options("/api/articles/a")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", FRONT_END)
                .header("Access-Control-Allow-Methods", allOf(containsStringIgnoringCase("GET"),
                        containsStringIgnoringCase("POST"), containsStringIgnoringCase("PUT"), containsStringIgnoringCase("DELETE")))
                .header("Access-Control-Allow-Headers", allOf(containsStringIgnoringCase("content-type"),
                        containsStringIgnoringCase("authorization"), containsStringIgnoringCase("x-request-id")))
                .header("Access-Control-Max-Age", "86400");
        // neither rate-limited nor authenticated, and no service is bothered
        assertEquals(0, StubServices.receivedCount(StubServices.POST));
    }

    @Test
    void realResponsesCarryTheOriginProxiedOrNot() {
        given().header("Origin", FRONT_END).when().get("/api/tags")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", FRONT_END)
                .header("Access-Control-Expose-Headers", containsStringIgnoringCase("x-request-id"))
                .body("service", equalTo("post-service"));
        // a refusal must be readable by the browser too
        given().header("Origin", FRONT_END).when().get("/api/user")
                .then().statusCode(401)
                .header("Access-Control-Allow-Origin", FRONT_END);
    }

    @Test
    void aServicesOwnCorsHeadersDoNotDuplicateTheGateways() {
        StubServices.script(StubServices.POST, new StubServices.Reply(200,
                java.util.Map.of("Access-Control-Allow-Origin", "*", "Content-Type", "application/json"), "{\"tags\":[]}"));
        var response = given().header("Origin", FRONT_END).when().get("/api/tags")
                .then().statusCode(200).body("tags.size()", equalTo(0)).extract();
        assertEquals(1, response.headers().getValues("Access-Control-Allow-Origin").size());
        assertEquals(FRONT_END, response.header("Access-Control-Allow-Origin"));
    }

    @Test
    void anOriginNotConfiguredGetsNoCorsGrant() {
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .when().options("/api/tags")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }
}

package dev.conduit.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@QuarkusTest
@WithTestResource(StubServices.class)
class RoutingTest extends GatewayTestSupport {

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource({
            "POST,   /api/users/login,                  user-service,    /users/login",
            "POST,   /api/users,                        user-service,    /users",
            "GET,    /api/user,                         user-service,    /user",
            "PUT,    /api/user,                         user-service,    /user",
            "GET,    /api/profiles/jake,                user-service,    /profiles/jake",
            "POST,   /api/profiles/jake/follow,         user-service,    /profiles/jake/follow",
            "DELETE, /api/profiles/jake/follow,         user-service,    /profiles/jake/follow",
            "GET,    /api/articles,                     post-service,    /articles",
            "POST,   /api/articles,                     post-service,    /articles",
            "GET,    /api/articles/feed,                post-service,    /articles/feed",
            "GET,    /api/articles/how-to,              post-service,    /articles/how-to",
            "PUT,    /api/articles/how-to,              post-service,    /articles/how-to",
            "DELETE, /api/articles/how-to,              post-service,    /articles/how-to",
            "POST,   /api/articles/how-to/favorite,     post-service,    /articles/how-to/favorite",
            "DELETE, /api/articles/how-to/favorite,     post-service,    /articles/how-to/favorite",
            "GET,    /api/tags,                         post-service,    /tags",
            "GET,    /api/articles/how-to/comments,     comment-service, /articles/how-to/comments",
            "POST,   /api/articles/how-to/comments,     comment-service, /articles/how-to/comments",
            "DELETE, /api/articles/how-to/comments/42,  comment-service, /articles/how-to/comments/42",
            "GET,    /api/trending/articles,            trending-service, /api/trending/articles",
            "GET,    /api/trending/tags,                trending-service, /api/trending/tags",
    })
    void everyContractOperationReachesItsServiceWithoutTheApiPrefix(String method, String path, String service, String downstreamPath) {
        given().header("Authorization", "Token " + Tokens.valid("jake"))
                .contentType(ContentType.JSON).body(method.equals("GET") || method.equals("DELETE") ? "" : "{\"x\":1}")
                .when().request(method, path)
                .then().statusCode(200)
                .body("service", equalTo(service))
                .body("method", equalTo(method))
                .body("uri", equalTo(downstreamPath));
        StubServices.Received received = StubServices.single(service);
        assertEquals(downstreamPath, received.uri());
    }

    @Test
    void queryStringIsForwardedAsSent() {
        given().urlEncodingEnabled(false).when().get("/api/articles?tag=dragons&author=jake%20doe&limit=20&offset=0")
                .then().statusCode(200)
                .body("uri", equalTo("/articles?tag=dragons&author=jake%20doe&limit=20&offset=0"));
    }

    @Test
    void unknownPathsUnderApiAre404WithTheEnvelopeAndReachNoService() {
        for (String path : new String[] {"/api", "/api/", "/api/nope", "/api/articles/a/b/c/d", "/api/users/login/x", "/api/tags/"}) {
            given().when().get(path)
                    .then().statusCode(404)
                    .contentType(ContentType.JSON)
                    .body("errors.body[0]", equalTo("no route for " + path));
        }
        assertEquals(0, StubServices.receivedCount(StubServices.USER) + StubServices.receivedCount(StubServices.POST)
                + StubServices.receivedCount(StubServices.COMMENT) + StubServices.receivedCount(StubServices.TRENDING));
    }

    @Test
    void wrongMethodOnAKnownPathIs405WithAllow() {
        given().when().delete("/api/tags")
                .then().statusCode(405)
                .header("Allow", "GET")
                .body("errors.body[0]", equalTo("DELETE is not allowed on /api/tags"));
        assertEquals(0, StubServices.receivedCount(StubServices.POST));
    }

    @Test
    void requestHeadersAndBodyReachTheServiceUnchanged() {
        String token = Tokens.valid("jake");
        String body = "{\"article\":{\"title\":\"How to train your dragon\",\"body\":\"Ünïcödé ✓\"}}";
        given().header("Authorization", "Token " + token)
                .header("X-Custom", "kept")
                .contentType("application/json; charset=utf-8")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/articles")
                .then().statusCode(200);
        StubServices.Received received = StubServices.single(StubServices.POST);
        assertEquals("POST", received.method());
        assertEquals("Token " + token, received.header("Authorization"));
        assertEquals("kept", received.header("X-Custom"));
        assertEquals("application/json; charset=utf-8", received.header("Content-Type"));
        assertEquals("127.0.0.1", received.header("X-Forwarded-For"));
        assertEquals(body, received.bodyText());
    }

    @Test
    void aLargeChunkedBodyReachesTheServiceIntactWithItsLength() {
        byte[] body = new byte[60 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        HttpResponse<String> response = sendChunked("PUT", "/api/articles/big", body);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(body.length, new JsonObject(response.body()).getInteger("bodyLength"));
        StubServices.Received received = StubServices.single(StubServices.POST);
        // the gateway receives the whole body before it calls the service (slow clients never hold a
        // connection to it), so the service gets it at once, with its length
        assertEquals(null, received.header("Transfer-Encoding"));
        assertEquals(String.valueOf(body.length), received.header("Content-Length"));
        assertArrayEquals(body, received.body());
    }

    @Test
    void aBodyOverTheLimitIs413WithTheEnvelope() {
        byte[] body = new byte[65 * 1024];
        // declared length: refused before any service is called
        given().header("Authorization", "Token " + Tokens.valid("jake"))
                .contentType(ContentType.JSON).body(body)
                .when().post("/api/articles")
                .then().statusCode(413)
                .body("errors.body[0]", equalTo("request body is larger than 65536 bytes"));
        assertEquals(0, StubServices.receivedCount(StubServices.POST));
        // chunked: cut off once the limit is passed while streaming
        HttpResponse<String> response = sendChunked("POST", "/api/articles", body);
        assertEquals(413, response.statusCode());
        assertEquals("request body is larger than 65536 bytes",
                new JsonObject(response.body()).getJsonObject("errors").getJsonArray("body").getString(0));
        given().when().get("/api/tags").then().statusCode(200).body("service", equalTo("post-service"));
    }

    @Test
    void aClientWaitingFor100ContinueIsToldToGoOn() throws Exception {
        byte[] body = "{\"article\":{\"body\":\"%s\"}}".formatted("z".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/api/articles"))
                .header("Authorization", "Token " + Tokens.valid("jake"))
                .header("Content-Type", "application/json")
                .expectContinue(true)
                .timeout(java.time.Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        // the JDK client waits for the 100 without heeding the request timeout: bound the wait here
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode(), response.body());
        StubServices.Received received = StubServices.single(StubServices.POST);
        assertNull(received.header("Expect"), "the gateway answered the expectation itself");
        assertArrayEquals(body, received.body());
    }

    /** Sends the body chunked, without a Content-Length (REST Assured always declares the length). */
    private static HttpResponse<String> sendChunked(String method, String path, byte[] body) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
                    .header("Authorization", "Token " + Tokens.valid("jake"))
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                    .build();
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void serviceErrorsPassThroughUnchanged() {
        String errors = "{\"errors\":{\"email\":[\"has already been taken\"]}}";
        StubServices.script(StubServices.USER, new StubServices.Reply(422,
                Map.of("Content-Type", "application/json", "X-Service-Detail", "duplicate"), errors));
        given().contentType(ContentType.JSON).body("{\"user\":{}}")
                .when().post("/api/users")
                .then().statusCode(422)
                .contentType("application/json")
                .header("X-Service-Detail", "duplicate")
                .body(equalTo(errors));

        StubServices.script(StubServices.POST, new StubServices.Reply(404, Map.of("Content-Type", "text/plain"), "article not found"));
        given().when().get("/api/articles/missing")
                .then().statusCode(404)
                .contentType("text/plain")
                .body(equalTo("article not found"));

        StubServices.script(StubServices.COMMENT, new StubServices.Reply(500, Map.of("Content-Type", "application/json"),
                "{\"errors\":{\"body\":[\"database hiccup\"]}}"));
        given().when().get("/api/articles/x/comments")
                .then().statusCode(500)
                .body("errors.body[0]", equalTo("database hiccup"));
    }

    @Test
    void aNoContentAnswerStaysEmpty() {
        StubServices.script(StubServices.POST, new StubServices.Reply(204, Map.of(), ""));
        given().header("Authorization", "Token " + Tokens.valid("jake"))
                .when().delete("/api/articles/gone")
                .then().statusCode(204)
                .body(emptyOrNullString());
    }

    @Test
    void aRequestIdIsGeneratedPassedOnAndReturned() {
        String generated = given().when().get("/api/tags")
                .then().statusCode(200)
                .header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"))
                .extract().header("X-Request-Id");
        assertEquals(generated, StubServices.single(StubServices.POST).header("X-Request-Id"));
    }

    @Test
    void aCallersRequestIdIsKeptAndAnUnsafeOneReplaced() {
        given().header("X-Request-Id", "front-end-42").when().get("/api/tags")
                .then().statusCode(200).header("X-Request-Id", "front-end-42");
        assertEquals("front-end-42", StubServices.single(StubServices.POST).header("X-Request-Id"));

        given().header("X-Request-Id", "bad id\twith spaces").when().get("/api/profiles/jake")
                .then().statusCode(200).header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        // errors the gateway makes itself carry the id too
        given().header("X-Request-Id", "front-end-43").when().get("/api/nope")
                .then().statusCode(404).header("X-Request-Id", "front-end-43");
    }

    @Test
    void nonApiEndpointsAreNeitherProxiedNorGated() {
        Management.given().header("Authorization", "Bearer garbage").when().get("/q/health/live")
                .then().statusCode(200).body("status", equalTo("UP"));
        given().header("Authorization", "Bearer garbage").when().get("/q/openapi")
                .then().statusCode(200).body(not(emptyOrNullString()));
        assertNull(StubServices.received(StubServices.USER).stream().findAny().orElse(null));
    }
}

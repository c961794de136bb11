package dev.conduit.systemtests;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input and abuse through the gateway, against the real services: every answer is a 4xx with
 * the RealWorld error envelope or the right success, never a 5xx; floods of comments and tags get
 * bounded answers (their sizes and times are printed); a slow honest upload succeeds.
 */
class AbuseIT {

    /** The answer is a success, or a 4xx whose body is the error envelope; never a 5xx. */
    private static Response sane(Response response, String what) {
        int status = response.statusCode();
        assertTrue(status < 500, what + ": " + status + " " + response.asString());
        if (status >= 400) {
            List<String> messages = response.jsonPath().getList("errors.body");
            assertTrue(messages != null && !messages.isEmpty(), what + ": " + status + " without the envelope: " + response.asString());
        }
        return response;
    }

    @Test
    void anArticleTitledLikeARouteIsReachableAndTheRouteStillWorks() {
        JourneyIT.User jake = JourneyIT.register("route");
        for (String title : new String[] {"Feed", "feed", "FEED!"}) {
            String slug = sane(jake.as().body(Map.of("article", Map.of("title", title, "description", "d", "body", "b")))
                    .post("/articles"), "publish " + title).then().statusCode(201).extract().path("article.slug");
            assertNotEquals("feed", slug, "the slug of '" + title + "'");
            given(SharedPlatform.api()).get("/articles/" + slug).then().statusCode(200);
        }
        sane(given(SharedPlatform.api()).get("/articles/feed"), "anonymous feed").then().statusCode(401);
        jake.as().get("/articles/feed").then().statusCode(200);
    }

    @Test
    void namesThatCannotBeOnePathSegmentAreRefusedAndOddPathsAre4xx() {
        for (String name : new String[] {".", "..", "a/b", "a%b", "a?b", "a#b", "tab\tname", " lead", "trail ", "bell\u0007", "new\nline"}) {
            String suffix = UUID.randomUUID().toString().substring(0, 6);
            Response r = given(SharedPlatform.api()).contentType(ContentType.JSON)
                    .body(Map.of("user", Map.of("username", name, "email", "odd" + suffix + "@example.com", "password", "password123")))
                    .post("/users");
            sane(r, "register '" + name + "'").then().statusCode(422);
        }
        JourneyIT.User anna = JourneyIT.register("odd");
        for (String path : new String[] {"/profiles/%2e", "/profiles/%2e%2e", "/profiles/a%2Fb", "/profiles/%00", "/articles/%2e%2e/comments",
                "/articles/a%2Fb", "/articles/%25", "/%2e%2e/q/metrics", "/articles/x/comments/not-a-number", "/articles/x/comments/99999999999999999999",
                "/articles?limit=-1", "/articles?limit=abc", "/articles?offset=1e9", "/articles/x/comments?limit=100000"}) {
            sane(given(SharedPlatform.api()).urlEncodingEnabled(false).get(path), "GET " + path);
            sane(anna.as().urlEncodingEnabled(false).delete(path), "DELETE " + path);
        }
        for (String body : new String[] {"{", "[]", "{\"article\":[]}", "{\"article\":{\"title\":7,\"description\":\"d\",\"body\":\"b\"}}",
                "{\"article\":{\"title\":\"t\",\"description\":\"d\",\"body\":\"b\",\"tagList\":\"x\"}}", "null", "\"text\""}) {
            sane(anna.as().body(body).post("/articles"), "POST /articles " + body).then().statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400));
        }
        sane(anna.as().body("{\"article\":{\"title\":\"" + "x".repeat(2_000_000) + "\"}}").post("/articles"), "2 MB body")
                .then().statusCode(413);
    }

    @Test
    void floodsOfCommentsAndTagsGetBoundedAnswers() {
        JourneyIT.User jake = JourneyIT.register("flood");
        String slug = jake.as().body(Map.of("article", Map.of("title", "Flooded " + UUID.randomUUID(), "description", "d", "body", "b")))
                .post("/articles").then().statusCode(201).extract().path("article.slug");
        String body = "c".repeat(2_000);
        for (int i = 0; i < 250; i++) {
            sane(jake.as().body(Map.of("comment", Map.of("body", body + i))).post("/articles/" + slug + "/comments"), "comment " + i)
                    .then().statusCode(200);
        }
        long started = System.nanoTime();
        Response comments = sane(given(SharedPlatform.api()).get("/articles/" + slug + "/comments"), "comments of a flooded article");
        long commentMillis = (System.nanoTime() - started) / 1_000_000;
        int shown = comments.jsonPath().getList("comments").size();
        assertEquals(100, shown, "a client that does not page gets the documented first page");
        int commentBytes = comments.asByteArray().length;

        String prefix = "t" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 60; i++) {
            List<String> tags = List.of(prefix + i + "a", prefix + i + "b", prefix + i + "c", prefix + i + "d", prefix + i + "e");
            sane(jake.as().body(Map.of("article", Map.of("title", "Tagged " + UUID.randomUUID(), "description", "d", "body", "b", "tagList", tags)))
                    .post("/articles"), "tagged article " + i).then().statusCode(201);
        }
        started = System.nanoTime();
        Response tags = sane(given(SharedPlatform.api()).get("/tags"), "tags after a flood");
        long tagMillis = (System.nanoTime() - started) / 1_000_000;
        int tagCount = tags.jsonPath().getList("tags").size();
        assertTrue(tagCount <= 50, "at most conduit.post.popular-tags: " + tagCount);
        System.out.printf("AbuseIT: 250 comments of 2,000 characters -> GET comments %d items, %d bytes, %d ms;"
                + " 300 new tags -> GET /tags %d tags, %d bytes, %d ms%n",
                shown, commentBytes, commentMillis, tagCount, tags.asByteArray().length, tagMillis);
    }

    @Test
    void aSlowButHonestUploadIsStoredAndAStalledOneGets408() throws Exception {
        JourneyIT.User jake = JourneyIT.register("slow");
        String title = "Slow " + UUID.randomUUID();
        byte[] body = ("{\"article\":{\"title\":\"" + title + "\",\"description\":\"d\",\"body\":\"" + "s".repeat(100_000) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        long started = System.nanoTime();
        String reply;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), SharedPlatform.get().settings().gatewayPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/articles HTTP/1.1\r\nHost: localhost\r\nAuthorization: Token " + jake.token()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // 7 s in all, longer than the service's 5 s response timeout, a piece every 500 ms
            int pieces = 14;
            int piece = (body.length + pieces - 1) / pieces;
            for (int offset = 0; offset < body.length; offset += piece) {
                out.write(body, offset, Math.min(piece, body.length - offset));
                out.flush();
                LockSupport.parkNanos(500_000_000L);
            }
            reply = readAll(socket.getInputStream());
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(reply.startsWith("HTTP/1.1 201"), "after " + millis + " ms: " + reply.substring(0, Math.min(300, reply.length())));
        String slug = reply.replaceAll("(?s).*\"slug\":\"([^\"]+)\".*", "$1");
        given(SharedPlatform.api()).get("/articles/" + slug).then().statusCode(200);
        System.out.printf("AbuseIT: a 100 KB article uploaded over %d ms was stored%n", millis);

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), SharedPlatform.get().settings().gatewayPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/articles HTTP/1.1\r\nHost: localhost\r\nAuthorization: Token " + jake.token()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"article\":{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            started = System.nanoTime();
            String stalled = readAll(socket.getInputStream());
            assertTrue(stalled.startsWith("HTTP/1.1 408"), stalled);
            assertTrue(stalled.contains("{\"errors\":{\"body\":["), stalled);
            System.out.printf("AbuseIT: a stalled upload got 408 after %d ms%n", (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Everything until the gateway closes (Connection: close) or the response's length is read. */
    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int contentLength = -1;
        int headerEnd = -1;
        int b;
        while ((b = in.read()) >= 0) {
            bytes.write(b);
            if (headerEnd < 0) {
                String text = bytes.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r\n\r\n")) {
                    headerEnd = text.length();
                    for (String line : text.split("\r\n")) {
                        if (line.toLowerCase().startsWith("content-length:")) {
                            contentLength = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                }
            } else if (contentLength >= 0 && bytes.size() >= headerEnd + contentLength) {
                break;
            }
        }
        assertFalse(bytes.size() == 0, "no answer");
        return bytes.toString(StandardCharsets.UTF_8);
    }
}

package dev.conduit.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.conduit.gateway.proxy.CircuitBreaker;
import dev.conduit.gateway.proxy.Downstreams;
import dev.conduit.gateway.proxy.Service;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live routes' Server-Sent Events through the gateway, against stub streams that write each
 * event when the test says so and hold the connection open in between. Test profile: at most 2 open
 * streams per client, first byte within 1 s, request timeout of ordinary routes 1 s.
 */
@QuarkusTest
@WithTestResource(StubServices.class)
class LiveStreamTest extends GatewayTestSupport {

    private static final Duration SOON = Duration.ofSeconds(5);
    private static final String COMMENTS = "/api/live/articles/how-to/comments";

    private final List<SseClient> clients = new ArrayList<>();

    @Inject
    Downstreams downstreams;

    @AfterEach
    void closeClients() {
        clients.forEach(SseClient::close);
        await().atMost(SOON).until(() -> openStreamsGauge() == 0);
    }

    private SseClient open(String path, Map<String, String> headers) {
        SseClient client = SseClient.open(path, headers);
        clients.add(client);
        return client;
    }

    private static StubServices.LiveStream streamNumber(int index) {
        await().atMost(SOON).until(() -> StubServices.LIVE_STREAMS.size() > index);
        return StubServices.LIVE_STREAMS.get(index);
    }

    @Test
    void eventsReachTheClientOneByOneWhileTheServiceHoldsTheStreamOpen() throws Exception {
        SseClient client = open(COMMENTS, Map.of("Last-Event-ID", "41", "X-Request-Id", "live-1"));
        StubServices.LiveStream stream = streamNumber(0);
        assertEquals(200, client.status());
        assertTrue(client.header("content-type").startsWith("text/event-stream"), client.header("content-type"));
        assertEquals("live-1", client.header("x-request-id"));
        assertEquals("no-cache", client.header("cache-control"));

        assertEquals(StubServices.COMMENT, stream.service);
        assertEquals("/live/articles/how-to/comments", stream.request.uri());
        assertEquals("41", stream.request.header("Last-Event-ID"));
        assertEquals("live-1", stream.request.header("X-Request-Id"));

        stream.send("id: 42\nevent: comment\ndata: {\"comment\":{\"id\":7}}\n\n");
        SseClient.Event first = client.next(SOON);
        assertNotNull(first, "the first event must arrive while the service still holds the stream open");
        assertEquals(new SseClient.Event("42", "comment", "{\"comment\":{\"id\":7}}"), first);
        assertFalse(stream.isClosed());
        assertFalse(client.isEnded());

        stream.send("id: 43\nevent: comment-deleted\ndata: {\"id\":7}\n\n");
        assertEquals(new SseClient.Event("43", "comment-deleted", "{\"id\":7}"), client.next(SOON));

        // the service ends the stream: so does the gateway, and the client's place is given back
        stream.end();
        await().atMost(SOON).until(client::isEnded);
    }

    @Test
    void aClientThatDoesNotReadHoldsBackTheServiceInsteadOfFillingTheGateway() throws Exception {
        int events = 4_000;
        String payload = "x".repeat(16 * 1024);
        CountDownLatch startReading = new CountDownLatch(1);
        SseClient client = SseClient.open(COMMENTS, Map.of(), startReading);
        clients.add(client);
        StubServices.LiveStream stream = streamNumber(0);
        for (int i = 1; i <= events; i++) {
            stream.send("id: " + i + "\nevent: comment\ndata: " + payload + "\n\n");
        }
        long total = (long) events * (payload.length() + 30);
        // the service's writes stall: the gateway stopped reading from it while its client read nothing
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = stream.written.get();
            boolean stalled = now == last[0] && now > 0;
            last[0] = now;
            return stalled;
        });
        System.out.printf("back-pressure: the service's writes stalled after %d of %d bytes%n", stream.written.get(), total);
        assertTrue(stream.written.get() < total / 2,
                "the service wrote " + stream.written.get() + " of " + total + " bytes to a client that read none");
        startReading.countDown();
        for (int i = 1; i <= events; i++) {
            SseClient.Event event = client.next(Duration.ofSeconds(20));
            assertNotNull(event, "event " + i + " missing");
            assertEquals(Integer.toString(i), event.id());
        }
        assertFalse(stream.isClosed());
    }

    @Test
    void aSilentStreamOutlivesTheRequestTimeout() throws Exception {
        StubServices.liveHeartbeatMillis = 60_000;
        SseClient client = open(COMMENTS, Map.of());
        StubServices.LiveStream stream = streamNumber(0);
        assertEquals(200, client.status());
        // twice the 1 s request timeout of ordinary routes without a byte
        await().during(Duration.ofMillis(2_000)).atMost(Duration.ofSeconds(3)).until(() -> !client.isEnded());
        stream.send("id: 1\nevent: comment\ndata: {}\n\n");
        assertEquals("1", client.next(SOON).id());
    }

    @Test
    void theLastEventIdQueryParameterIsForwardedAsSent() throws Exception {
        SseClient client = open(COMMENTS + "?lastEventId=17", Map.of());
        assertEquals(200, client.status());
        assertEquals("/live/articles/how-to/comments?lastEventId=17", streamNumber(0).request.uri());
    }

    @Test
    void aClientThatLeavesClosesTheStreamAtTheService() {
        SseClient client = open(COMMENTS, Map.of());
        StubServices.LiveStream stream = streamNumber(0);
        assertEquals(200, client.status());
        await().atMost(SOON).until(() -> openStreamsGauge() == 1);
        client.close();
        await().atMost(SOON).until(stream::isClosed);
        await().atMost(SOON).until(() -> openStreamsGauge() == 0);
    }

    @Test
    void theFeedNeedsATokenAtTheGatewayAndForwardsIt() throws Exception {
        SseClient anonymous = open("/api/live/feed", Map.of());
        assertEquals(401, anonymous.status());
        assertEquals("Token", anonymous.header("www-authenticate"));
        assertEquals("token is missing, invalid or expired",
                new JsonObject(anonymous.bodyText()).getJsonObject("errors").getJsonArray("body").getString(0));
        assertEquals(0, StubServices.receivedCount(StubServices.POST));

        String token = Tokens.valid("jake");
        SseClient jake = open("/api/live/feed", Map.of("Authorization", "Token " + token));
        StubServices.LiveStream stream = streamNumber(0);
        assertEquals(200, jake.status());
        assertEquals(StubServices.POST, stream.service);
        assertEquals("/live/feed", stream.request.uri());
        assertEquals("Token " + token, stream.request.header("Authorization"));
        stream.send("id: 9\nevent: article\ndata: {\"article\":{\"slug\":\"a\"}}\n\n");
        assertEquals("article", jake.next(SOON).type());
    }

    @Test
    void aClientBeyondItsOpenStreamsGets429UntilOneCloses() throws Exception {
        String jake = "Token " + Tokens.valid("jake");
        SseClient first = open("/api/live/feed", Map.of("Authorization", jake));
        SseClient second = open(COMMENTS, Map.of("Authorization", jake));
        assertEquals(200, first.status());
        assertEquals(200, second.status());

        SseClient third = open(COMMENTS, Map.of("Authorization", jake));
        assertEquals(429, third.status());
        assertEquals("5", third.header("retry-after"));
        assertTrue(third.bodyText().contains("too many open streams for this client"), third.bodyText());
        // keyed by user: another user, and anonymous callers from the same address, still get theirs
        SseClient anna = open(COMMENTS, Map.of("Authorization", "Token " + Tokens.valid("anna")));
        SseClient anonymous = open(COMMENTS, Map.of());
        assertEquals(200, anna.status());
        assertEquals(200, anonymous.status());

        first.close();
        await().atMost(SOON).until(() -> openStreamsGauge() == 3);
        SseClient again = open(COMMENTS, Map.of("Authorization", jake));
        assertEquals(200, again.status());
        Management.given().when().get("/q/metrics").then()
                .body(containsString("conduit_gateway_rate_limit_refused_total{limit=\"streams-client\"}"));
    }

    @Test
    void openingAndClosingStreamsNeverLeaksAPlace() {
        for (int round = 0; round < 20; round++) {
            int before = StubServices.LIVE_STREAMS.size();
            SseClient a = SseClient.open(COMMENTS, Map.of());
            SseClient b = SseClient.open(COMMENTS, Map.of());
            assertEquals(200, a.status(), "round " + round);
            assertEquals(200, b.status(), "round " + round);
            if (round % 2 == 0) {
                // the client leaves
                a.close();
                b.close();
            } else {
                // the service ends them
                await().atMost(SOON).until(() -> StubServices.LIVE_STREAMS.size() == before + 2);
                StubServices.LIVE_STREAMS.subList(before, before + 2).forEach(StubServices.LiveStream::end);
                await().atMost(SOON).until(() -> a.isEnded() && b.isEnded());
                a.close();
                b.close();
            }
            await().atMost(SOON).until(() -> openStreamsGauge() == 0);
        }
        // had a single place leaked, a third round-trip pair would be refused
        SseClient a = open(COMMENTS, Map.of());
        SseClient b = open(COMMENTS, Map.of());
        assertEquals(200, a.status());
        assertEquals(200, b.status());
    }

    @Test
    void aServiceThatDoesNotAnswerGets504WithinTheFirstByteTimeout() {
        StubServices.hang(StubServices.COMMENT);
        long started = System.nanoTime();
        SseClient client = open(COMMENTS, Map.of());
        assertEquals(504, waitForStatus(client));
        assertTrue(client.bodyText().contains("comment-service did not answer in time"), client.bodyText());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(3).toNanos());
    }

    @Test
    void aServiceThatIsDownGets503AndOtherRoutesKeepWorking() {
        StubServices.kill(StubServices.COMMENT);
        SseClient client = open(COMMENTS, Map.of());
        assertEquals(503, client.status());
        assertTrue(client.bodyText().contains("comment-service is unavailable"), client.bodyText());
        io.restassured.RestAssured.given().when().get("/api/tags").then().statusCode(200);
    }

    @Test
    void aServicesOwnRefusalOfStreamsPassesUnchangedAndNeverOpensItsBreaker() {
        String full = "{\"errors\":{\"body\":[\"too many live streams\"]}}";
        StubServices.Reply refused = new StubServices.Reply(503, Map.of("Content-Type", "application/json", "Retry-After", "5"), full);
        for (int i = 0; i < 8; i++) {
            StubServices.script(StubServices.COMMENT, refused);
            try (SseClient client = SseClient.open(COMMENTS, Map.of())) {
                assertEquals(503, client.status());
                assertEquals("5", client.header("retry-after"));
                assertEquals(full, client.bodyText());
            }
        }
        // a window of 6 and at least 4 calls would have opened it had these counted
        assertEquals(CircuitBreaker.State.CLOSED, downstreams.get(Service.COMMENT).breaker().state());
        io.restassured.RestAssured.given().when().get("/api/articles/a/comments").then().statusCode(200);
    }

    @Test
    void noStreamIsOpenedToAServiceWhoseBreakerIsOpen() {
        StubServices.Reply down = new StubServices.Reply(503, Map.of("Content-Type", "application/json"), "{}");
        StubServices.script(StubServices.COMMENT, down, down, down);
        for (int i = 0; i < 3; i++) {
            io.restassured.RestAssured.given().when().get("/api/articles/a/comments").then().statusCode(503);
        }
        assertEquals(CircuitBreaker.State.OPEN, downstreams.get(Service.COMMENT).breaker().state());
        int calls = StubServices.receivedCount(StubServices.COMMENT);
        SseClient client = open(COMMENTS, Map.of());
        assertEquals(503, client.status());
        assertTrue(client.bodyText().contains("comment-service is unavailable"), client.bodyText());
        assertEquals(calls, StubServices.receivedCount(StubServices.COMMENT), "an open breaker calls no one");
    }

    private static int waitForStatus(SseClient client) {
        await().atMost(SOON).until(client::isEnded);
        return client.status();
    }

    private static double openStreamsGauge() {
        String metrics = Management.given().when().get("/q/metrics").asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("conduit_gateway_streams_open")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no conduit_gateway_streams_open gauge in /q/metrics");
    }
}

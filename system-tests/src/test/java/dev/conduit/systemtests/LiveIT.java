package dev.conduit.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.localstack.Platform;
import dev.conduit.localstack.testing.SseClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static dev.conduit.systemtests.GatewayReads.commentIds;
import static dev.conduit.systemtests.GatewayReads.gateway;
import static dev.conduit.systemtests.GatewayReads.getJson;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live updates as an operator would try them, through the gateway of the packaged platform: a
 * comment stream and a feed stream receive what is written through the gateway, in order; a
 * {@code kill -9} of comment-service and of the gateway while a writer keeps commenting ends the
 * client's stream, and the client, reconnecting with its {@code Last-Event-ID} as an
 * {@code EventSource} does, ends with every acknowledged comment exactly once, in order (the time
 * from the kill to the resumed stream's first event is printed); a client's fifth stream is a 429
 * in the error envelope.
 */
class LiveIT {

    private static final Duration EVENT_WITHIN = Duration.ofSeconds(15);
    private static final Duration BACK_WITHIN = Duration.ofSeconds(90);
    /**
     * The client's reconnection time, an {@code EventSource}'s {@code retry} (browsers wait a few
     * seconds): comments acknowledged meanwhile must come from the resume's read-back.
     */
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** Pause between two comments of the writer. */
    private static final Duration WRITE_PACE = Duration.ofMillis(50);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void commentAndFeedStreamsReceiveWritesThroughTheGatewayInOrder() throws Exception {
        SharedPlatform.get();
        JourneyIT.User author = JourneyIT.register("la");
        JourneyIT.User reader = JourneyIT.register("lr");
        String slug = publish(author, "Live order");
        reader.as().post("/profiles/" + author.username() + "/follow").then().statusCode(200);
        // the follow has reached post-service's authors read model once the feed shows the author's article
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(slug,
                getJson("/api/articles/feed", reader.token()).at("/articles/0/slug").asText()));

        try (SseClient comments = openWhenReady("/api/live/articles/" + slug + "/comments", reader.token(), null);
             SseClient feed = openWhenReady("/api/live/feed", reader.token(), null)) {
            assertTrue(comments.header("content-type").startsWith("text/event-stream"), comments.header("content-type"));
            List<Long> written = new ArrayList<>();
            List<String> published = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                written.add(reader.as().body(Map.of("comment", Map.of("body", "live " + i)))
                        .post("/articles/" + slug + "/comments").then().statusCode(200).extract().<Number>path("comment.id").longValue());
                published.add(publish(author, "Live feed " + i));
            }
            List<SseClient.Event> commentEvents = take(comments, "comment", written.size());
            assertEquals(written, ids(commentEvents, "/comment/id"));
            assertEquals(published, slugs(take(feed, "article", published.size())));

            // a client away while comments are written gets exactly those when it comes back with its Last-Event-ID
            String lastEventId = commentEvents.get(commentEvents.size() - 1).id();
            assertNotNull(lastEventId, "comment events carry an id");
            comments.close();
            List<Long> whileAway = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                whileAway.add(reader.as().body(Map.of("comment", Map.of("body", "away " + i)))
                        .post("/articles/" + slug + "/comments").then().statusCode(200).extract().<Number>path("comment.id").longValue());
            }
            try (SseClient resumed = open("/api/live/articles/" + slug + "/comments", reader.token(), lastEventId)) {
                assertEquals(200, resumed.status());
                assertEquals(whileAway, ids(take(resumed, "comment", whileAway.size()), "/comment/id"));
                assertNull(resumed.next(Duration.ofMillis(500)), "nothing after them");
            }
        }
    }

    @Test
    void killOfCommentServiceEndsTheStreamAndTheClientResumesWithoutGapOrDuplicate() throws Exception {
        killWhileCommenting("comment-service");
    }

    @Test
    void killOfTheGatewayEndsTheStreamAndTheClientResumesWithoutGapOrDuplicate() throws Exception {
        killWhileCommenting("gateway");
    }

    @Test
    void aClientsFifthOpenStreamIsRefusedWith429AndTheEnvelope() throws Exception {
        SharedPlatform.get();
        JourneyIT.User user = JourneyIT.register("ll");
        String slug = publish(user, "Live limit");
        String path = "/api/live/articles/" + slug + "/comments";
        List<SseClient> open = new ArrayList<>();
        try {
            open.add(openWhenReady(path, user.token(), null));
            for (int i = 1; i < 4; i++) {
                SseClient stream = open(path, user.token(), null);
                open.add(stream);
                assertEquals(200, stream.status(), "stream " + (i + 1));
            }
            try (SseClient fifth = open(path, user.token(), null)) {
                assertEquals(429, fifth.status());
                assertNotNull(fifth.header("retry-after"), "Retry-After");
                JsonNode body = json.readTree(fifth.body());
                assertTrue(body.at("/errors/body").isArray() && body.at("/errors/body").size() > 0, body.toString());
            }
            // the others are unaffected: a comment still reaches the first stream
            long id = user.as().body(Map.of("comment", Map.of("body", "still live")))
                    .post("/articles/" + slug + "/comments").then().statusCode(200).extract().<Number>path("comment.id").longValue();
            assertEquals(List.of(id), ids(take(open.get(0), "comment", 1), "/comment/id"));
            // a place given back is usable again
            open.remove(open.size() - 1).close();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                SseClient again = open(path, user.token(), null);
                if (again.status() == 200) {
                    open.add(again);
                    return true;
                }
                again.close();
                return false;
            });
        } finally {
            open.forEach(SseClient::close);
        }
    }

    /**
     * A writer comments without pause (retrying each comment until it is acknowledged) while a
     * client reads the article's stream; {@code part} is killed with SIGKILL; the client reconnects
     * with its last event id until the stream is back and must end with every acknowledged comment
     * exactly once, in order.
     */
    private void killWhileCommenting(String part) throws Exception {
        Platform platform = SharedPlatform.get();
        JourneyIT.User user = JourneyIT.register(part.startsWith("g") ? "lg" : "lc");
        String slug = publish(user, "Live kill " + part);
        String path = "/api/live/articles/" + slug + "/comments";
        Writer writer = new Writer(user.token(), slug);
        Thread thread = new Thread(writer::run, "live-writer");

        List<Long> received = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        SseClient stream = openWhenReady(path, user.token(), null);
        // a second client that comes back only after the writer is done (a laptop waking up): what was written while it was
        // away, before and after the kill, comes from the restarted platform's read-back from its Last-Event-ID
        SseClient late = open(path, user.token(), null);
        assertEquals(200, late.status());
        List<Long> lateReceived = new ArrayList<>();
        String lateLastEventId = null;
        String lastEventId = null;
        long killedAt;
        double firstEventAfter;
        int reconnects = 0;
        int attempts = 0;
        int receivedAtKill;
        List<Long> acceptedAtReopen = List.of();
        try {
            thread.start();
            // the stream carries the writer's comments before the kill
            while (received.size() < 10) {
                SseClient.Event event = stream.next(EVENT_WITHIN);
                assertNotNull(event, "no event within " + EVENT_WITHIN + " before the kill; received " + received);
                lastEventId = collect(event, received, unexpected, lastEventId);
            }
            while (lateReceived.size() < 5) {
                SseClient.Event event = late.next(EVENT_WITHIN);
                assertNotNull(event, "no event within " + EVENT_WITHIN + " on the late client; received " + lateReceived);
                lateLastEventId = collect(event, lateReceived, unexpected, lateLastEventId);
            }
            late.close();
            ProcessHandle victim = platform.process(part).orElseThrow(() -> new AssertionError(part + " is not running"));
            assertTrue(victim.destroyForcibly(), "SIGKILL to " + part);
            await().atMost(Duration.ofSeconds(10)).until(() -> !victim.isAlive());
            killedAt = System.nanoTime();

            // the client's stream ends (what it still carried before the end counts)
            long endBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            boolean ended = false;
            while (!ended) {
                assertTrue(System.nanoTime() < endBy, "the stream did not end within 30 s of the kill");
                try {
                    SseClient.Event event = stream.next(Duration.ofSeconds(1));
                    if (event != null) {
                        lastEventId = collect(event, received, unexpected, lastEventId);
                    }
                } catch (SseClient.Ended e) {
                    ended = true;
                }
            }
            stream.close();
            receivedAtKill = received.size();

            // reconnect with Last-Event-ID as an EventSource does, until the stream is back and carries an event
            long giveUp = System.nanoTime() + BACK_WITHIN.toNanos();
            long resumedAt = -1;
            while (resumedAt < 0) {
                assertTrue(System.nanoTime() < giveUp, "no resumed stream with an event within " + BACK_WITHIN);
                // as an EventSource: wait the reconnection time, then try again with the last event id
                LockSupport.parkNanos(RETRY.toNanos());
                attempts++;
                stream = tryOpen(path, user.token(), lastEventId);
                if (stream == null) {
                    continue;
                }
                reconnects++;
                acceptedAtReopen = List.copyOf(writer.accepted);
                try {
                    SseClient.Event event = stream.next(EVENT_WITHIN);
                    if (event != null) {
                        resumedAt = System.nanoTime();
                        lastEventId = collect(event, received, unexpected, lastEventId);
                    } else {
                        stream.close();
                    }
                } catch (SseClient.Ended e) {
                    // ended again (the service went on restarting): reconnect from what came so far
                    stream.close();
                }
            }
            firstEventAfter = (resumedAt - killedAt) / 1e9;
            // the writer goes on a while after the resume, then stops
            int acceptedAtResume = writer.accepted.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.accepted.size() >= acceptedAtResume + 10);
        } finally {
            writer.stop.set(true);
            thread.join(Duration.ofSeconds(30).toMillis());
        }

        try (SseClient resumed = stream) {
            // every acknowledged comment arrives
            long allBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!new HashSet<>(received).containsAll(writer.accepted)) {
                assertTrue(System.nanoTime() < allBy, "acknowledged comments not received within 30 s: "
                        + missing(writer.accepted, received));
                SseClient.Event event = resumed.next(Duration.ofSeconds(1));
                if (event != null) {
                    lastEventId = collect(event, received, unexpected, lastEventId);
                }
            }
        }

        // the late client comes back with the last event id it had before the kill
        int lateBefore = lateReceived.size();
        AtomicReference<SseClient> lateStream = new AtomicReference<>();
        String lateFrom = lateLastEventId;
        await().atMost(Duration.ofSeconds(30)).pollInterval(RETRY).until(() -> {
            lateStream.set(tryOpen(path, user.token(), lateFrom));
            return lateStream.get() != null;
        });
        try (SseClient back = lateStream.get()) {
            long allBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!new HashSet<>(lateReceived).containsAll(writer.accepted)) {
                assertTrue(System.nanoTime() < allBy, "the late client did not get every acknowledged comment within 30 s: "
                        + missing(writer.accepted, lateReceived));
                SseClient.Event event = back.next(Duration.ofSeconds(1));
                if (event != null) {
                    lateLastEventId = collect(event, lateReceived, unexpected, lateLastEventId);
                }
            }
        }

        List<Long> accepted = List.copyOf(writer.accepted);
        Set<Long> stored = commentIds(slug);
        // acknowledged before the stream was opened again, yet not received on the old one: the resume's read-back (or the live
        // reader, if the relay sent them later) brought them
        Set<Long> beforeReopen = new HashSet<>(acceptedAtReopen);
        long caughtUp = received.subList(receivedAtKill, received.size()).stream().filter(beforeReopen::contains).count();
        System.out.println();
        System.out.printf(Locale.ROOT, "live: SIGKILL of %s under a comment writer: resumed stream's first event %.2f s after the kill"
                        + " (%d attempt(s) %d ms apart, %d stream(s) opened); comments acknowledged %d, received %d (%d of them acknowledged before the reconnect and"
                        + " not received before the stream ended), answered 5xx or no answer %d; a client back after the writer"
                        + " stopped got %d read back%n",
                part, firstEventAfter, attempts, RETRY.toMillis(), reconnects, accepted.size(), received.size(), caughtUp, writer.refused.get(), lateReceived.size() - lateBefore);
        System.out.println();

        assertEquals(List.of(), writer.violations, "answers to the writer other than 2xx/5xx");
        assertEquals(List.of(), unexpected, "events other than comments");
        assertEquals(received.size(), new HashSet<>(received).size(), "duplicates in " + received);
        // in order: the acknowledged ones, in the order they were acknowledged
        assertEquals(accepted, received.stream().filter(new HashSet<>(accepted)::contains).toList());
        // the late client likewise, and it had (at least) everything written from the kill on read back for it
        assertEquals(lateReceived.size(), new HashSet<>(lateReceived).size(), "duplicates on the late client: " + lateReceived);
        assertEquals(accepted, lateReceived.stream().filter(new HashSet<>(accepted)::contains).toList(), "the late client");
        assertEquals(received, lateReceived, "both clients saw the same stream");
        // anything beyond them is a comment written whose answer the kill cut off: stored all the same
        List<Long> extra = received.stream().filter(id -> !accepted.contains(id)).toList();
        assertTrue(stored.containsAll(extra), "received comments that are not stored: " + extra);
        assertTrue(stored.containsAll(accepted), "acknowledged comments not stored: " + missing(accepted, new ArrayList<>(stored)));
        assertFalse(accepted.isEmpty());
    }

    private static List<Long> missing(List<Long> expected, List<Long> got) {
        Set<Long> have = new HashSet<>(got);
        return expected.stream().filter(id -> !have.contains(id)).toList();
    }

    /** Adds a comment event to {@code received}; answers the last event id the client holds after it. */
    private String collect(SseClient.Event event, List<Long> received, List<String> unexpected, String lastEventId) {
        if ("comment".equals(event.type())) {
            received.add(readTree(event.data()).at("/comment/id").asLong());
        } else {
            unexpected.add(event.type() + " " + event.data());
        }
        return event.id() != null ? event.id() : lastEventId;
    }

    /** Opens a stream; null when the platform is not there to answer 200 (connection refused, 5xx). */
    private SseClient tryOpen(String path, String token, String lastEventId) {
        SseClient stream;
        try {
            stream = open(path, token, lastEventId);
        } catch (UncheckedIOException e) {
            return null;
        }
        if (stream.status() == 200) {
            return stream;
        }
        int status = stream.status();
        stream.close();
        if (status / 100 != 5) {
            throw new AssertionError("reconnecting " + path + " answered " + status);
        }
        return null;
    }

    private SseClient open(String path, String token, String lastEventId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Token " + token);
        if (lastEventId != null) {
            headers.put("Last-Event-ID", lastEventId);
        }
        return SseClient.open(URI.create(gateway()), path, headers);
    }

    /** Opens a stream, waiting for the article to reach the service that serves it (404 until then). */
    private SseClient openWhenReady(String path, String token, String lastEventId) {
        AtomicReference<SseClient> opened = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            SseClient stream = open(path, token, lastEventId);
            if (stream.status() == 200) {
                opened.set(stream);
                return true;
            }
            stream.close();
            return false;
        });
        return opened.get();
    }

    /** Exactly {@code count} events of {@code type}, skipping nothing else. */
    private static List<SseClient.Event> take(SseClient stream, String type, int count) {
        List<SseClient.Event> events = stream.take(count, EVENT_WITHIN);
        for (SseClient.Event event : events) {
            assertEquals(type, event.type(), "events: " + events);
        }
        return events;
    }

    private List<Long> ids(List<SseClient.Event> events, String pointer) {
        return events.stream().map(e -> readTree(e.data()).at(pointer).asLong()).toList();
    }

    private List<String> slugs(List<SseClient.Event> events) {
        return events.stream().map(e -> readTree(e.data()).at("/article/slug").asText()).toList();
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String publish(JourneyIT.User author, String title) {
        return author.as().body(Map.of("article", Map.of("title", title + " " + author.username() + " " + System.nanoTime(),
                "description", "d", "body", "b"))).post("/articles").then().statusCode(201).extract().path("article.slug");
    }

    /** One writer, one comment at a time: each is sent again until it is acknowledged (2xx), 5xx and no answer are retried. */
    private final class Writer {
        final String token;
        final String slug;
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Long> accepted = new CopyOnWriteArrayList<>();
        final AtomicLong refused = new AtomicLong();
        final List<String> violations = new CopyOnWriteArrayList<>();

        Writer(String token, String slug) {
            this.token = token;
            this.slug = slug;
        }

        void run() {
            int n = 0;
            while (!stop.get()) {
                n++;
                String body = "{\"comment\":{\"body\":\"w" + n + "\"}}";
                while (!stop.get()) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway() + "/api/articles/" + slug + "/comments"))
                            .timeout(Duration.ofSeconds(10)).header("Authorization", "Token " + token)
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            accepted.add(json.readTree(response.body()).at("/comment/id").asLong());
                            break;
                        }
                        if (response.statusCode() / 100 != 5) {
                            violations.add(response.statusCode() + " " + response.body());
                            throw new IllegalStateException("comment answered " + response.statusCode() + " " + response.body());
                        }
                        refused.incrementAndGet();
                    } catch (IOException noAnswer) {
                        refused.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                }
                LockSupport.parkNanos(WRITE_PACE.toNanos());
            }
        }
    }
}

package dev.conduit.systemtests;

import dev.conduit.systemtests.OtlpReceiver.Span;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One trace per request, end to end: the gateway's server span, post-service's server span and its
 * MongoDB spans, the Kafka send of the event the outbox relay makes later (a child of the request's
 * span, through the traceparent kept with the pending event), and comment-service's consumer span
 * (a child of that send, through the record's traceparent header) with the MongoDB spans of applying
 * the event. Spans reach the in-memory OTLP receiver the shared platform exports to.
 */
class TracingIT {

    private static final Duration EVENTUALLY = Duration.ofSeconds(30);

    @Test
    void publishingAndDeletingAnArticleAreEachOneTraceThroughGatewayPostServiceKafkaAndCommentService() {
        JourneyIT.User author = JourneyIT.register("tracer");

        String publishId = "trace-publish-" + UUID.randomUUID();
        String slug = author.as().header("X-Request-Id", publishId)
                .body(Map.of("article", Map.of("title", "Traced " + UUID.randomUUID(), "description", "d", "body", "b")))
                .post("/articles").then().statusCode(201).extract().path("article.slug");
        assertOneTraceThroughEveryHop(publishId);

        String deleteId = "trace-delete-" + UUID.randomUUID();
        author.as().header("X-Request-Id", deleteId).delete("/articles/" + slug).then().statusCode(204);
        assertOneTraceThroughEveryHop(deleteId);
    }

    private static void assertOneTraceThroughEveryHop(String requestId) {
        OtlpReceiver receiver = SharedPlatform.spans();
        Span gateway = await().atMost(EVENTUALLY).until(() -> receiver.spans().stream()
                .filter(s -> s.kind() == OtlpReceiver.SERVER && requestId.equals(s.attributes().get("conduit.request_id")))
                .findFirst(), Optional::isPresent).orElseThrow();
        assertEquals("gateway", gateway.service());
        String traceId = gateway.traceId();

        // the whole chain, each link the child of the one before
        Span consumer = await().atMost(EVENTUALLY).until(() -> receiver.trace(traceId).stream()
                .filter(s -> s.service().equals("comment-service") && s.kind() == OtlpReceiver.CONSUMER)
                .findFirst(), Optional::isPresent).orElseThrow();
        List<Span> trace = receiver.trace(traceId);
        Span send = parentOf(consumer, trace);
        assertEquals("post-service", send.service(), trace.toString());
        assertEquals(OtlpReceiver.PRODUCER, send.kind(), trace.toString());
        Span postServer = parentOf(send, trace);
        assertEquals("post-service", postServer.service(), trace.toString());
        assertEquals(OtlpReceiver.SERVER, postServer.kind(), trace.toString());
        Span gatewayClient = parentOf(postServer, trace);
        assertEquals("gateway", gatewayClient.service(), trace.toString());
        assertEquals(OtlpReceiver.CLIENT, gatewayClient.kind(), trace.toString());
        assertEquals(gateway.spanId(), gatewayClient.parentSpanId(), trace.toString());

        // MongoDB: post-service's write in the request, comment-service's read-model update under its consumer span
        await().atMost(EVENTUALLY).until(() -> receiver.trace(traceId).stream().anyMatch(s ->
                s.service().equals("post-service") && isMongo(s) && s.parentSpanId().equals(postServer.spanId())));
        await().atMost(EVENTUALLY).until(() -> receiver.trace(traceId).stream().anyMatch(s ->
                s.service().equals("comment-service") && isMongo(s) && s.parentSpanId().equals(consumer.spanId())));
    }

    private static boolean isMongo(Span span) {
        return "mongodb".equals(span.attributes().get("db.system.name")) && span.kind() == OtlpReceiver.CLIENT;
    }

    private static Span parentOf(Span child, List<Span> trace) {
        return trace.stream().filter(s -> s.spanId().equals(child.parentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("no parent of " + child + " in " + trace));
    }
}

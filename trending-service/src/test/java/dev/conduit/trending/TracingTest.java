package dev.conduit.trending;

import dev.conduit.events.Topics;
import dev.conduit.localstack.testing.TestServers;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With tracing on, a trending request continues the gateway's trace: a server span under the
 * caller's traceparent, a client span under it for the call to post-service, which gets that span's
 * traceparent and the request's X-Request-Id.
 */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
@WithTestResource(TrendingTestResource.class)
class TracingTest {

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conduit.tracing.enabled", "true", "quarkus.otel.bsp.schedule.delay", "20ms");
        }
    }

    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @Inject
    CollectedSpans spans;

    @Test
    void theCallToPostServiceIsAClientSpanOfTheRequestAndCarriesItsTraceparentAndRequestId() {
        String article = Events.newId();
        try (Events events = new Events(TestServers.kafkaBootstrap(), Topics.POSTS, Topics.COMMENTS)) {
            events.publish(article, 1, Instant.now(), List.of());
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/trending/articles?limit=100")
                .then().statusCode(200).body("articles.slug", hasItem(article)));

        String requestId = "trending-trace-" + article;
        given().header("X-Request-Id", requestId)
                .header("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
                .get("/api/trending/articles?limit=100").then().statusCode(200).body("articles.slug", hasItem(article));

        SpanData server = await().atMost(Duration.ofSeconds(10)).until(() -> spans.all().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER && CALLER_SPAN.equals(s.getParentSpanId()))
                .findFirst(), Optional::isPresent).orElseThrow();
        assertEquals(CALLER_TRACE, server.getTraceId());
        SpanData client = await().atMost(Duration.ofSeconds(10)).until(() -> spans.all().stream()
                .filter(s -> s.getKind() == SpanKind.CLIENT && s.getParentSpanId().equals(server.getSpanId()))
                .findFirst(), Optional::isPresent).orElseThrow();
        assertEquals("GET /internal/articles", client.getName());
        assertEquals("00-" + CALLER_TRACE + "-" + client.getSpanId() + "-01", PostServiceStub.lastHeader(requestId, "traceparent"));
        assertEquals(requestId, PostServiceStub.lastHeader(requestId, "X-Request-Id"));
    }
}

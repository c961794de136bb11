package dev.conduit.gateway;

import dev.conduit.gateway.http.RequestIds;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With tracing on, a proxied request is a server span at the gateway with a client span under it per
 * call to a service, and the service receives exactly one W3C traceparent: that of the client span.
 */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
@WithTestResource(StubServices.class)
class TracingTest extends GatewayTestSupport {

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

    @BeforeEach
    void forget() {
        spans.clear();
    }

    @Test
    void theServiceGetsTheTraceparentOfTheGatewaysClientSpan() {
        given().header(RequestIds.HEADER, "trace-test-1").get("/api/tags").then().statusCode(200);

        SpanData server = awaitSpan(SpanKind.SERVER, "trace-test-1");
        SpanData client = awaitChildOf(server);
        assertEquals(SpanKind.CLIENT, client.getKind());
        assertEquals("00-" + server.getTraceId() + "-" + client.getSpanId() + "-01", onlyTraceparent(StubServices.POST));
    }

    @Test
    void aCallersTraceIsContinuedAndItsHeaderNotForwardedBesideTheGatewaysOwn() {
        given().header(RequestIds.HEADER, "trace-test-2")
                .header("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
                .get("/api/profiles/jake").then().statusCode(200);

        SpanData server = awaitSpan(SpanKind.SERVER, "trace-test-2");
        assertEquals(CALLER_TRACE, server.getTraceId());
        assertEquals(CALLER_SPAN, server.getParentSpanId());
        SpanData client = awaitChildOf(server);
        assertEquals("00-" + CALLER_TRACE + "-" + client.getSpanId() + "-01", onlyTraceparent(StubServices.USER));
    }

    private SpanData awaitSpan(SpanKind kind, String requestId) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> spans.all().stream()
                        .filter(s -> s.getKind() == kind
                                && requestId.equals(s.getAttributes().get(AttributeKey.stringKey(RequestIds.SPAN_ATTRIBUTE))))
                        .findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private SpanData awaitChildOf(SpanData parent) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> spans.all().stream()
                        .filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
                        .findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static String onlyTraceparent(String service) {
        List<String> values = StubServices.single(service).headers().get("traceparent");
        assertTrue(values != null && values.size() == 1, "traceparent headers: " + values);
        return values.get(0);
    }
}

package dev.conduit.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Tracing off (the default): Vert.x has no tracer at all, so the proxy path does no tracing work, the
 * gateway sends no trace header of its own, and a caller's trace headers pass through unchanged.
 */
@QuarkusTest
@WithTestResource(StubServices.class)
class TracingOffTest extends GatewayTestSupport {

    @Inject
    Vertx vertx;

    @Test
    void noTracerAndTheCallersTraceHeadersPassThrough() {
        assertNull(((VertxInternal) vertx).tracer());

        given().get("/api/tags").then().statusCode(200);
        assertNull(StubServices.single(StubServices.POST).header("traceparent"));

        StubServices.reset();
        String caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        given().header("traceparent", caller).get("/api/tags").then().statusCode(200);
        assertEquals(caller, StubServices.single(StubServices.POST).header("traceparent"));
    }
}

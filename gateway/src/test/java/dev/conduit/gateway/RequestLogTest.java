package dev.conduit.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request id is in the MDC of every log line of a request, also of lines written in later callbacks. */
@QuarkusTest
@WithTestResource(StubServices.class)
class RequestLogTest extends GatewayTestSupport {

    private record Line(String logger, String message, String requestId) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ExtLogRecord ext = (ExtLogRecord) record;
            lines.add(new Line(record.getLoggerName(), ext.getFormattedMessage(), ext.getMdc("requestId")));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("dev.conduit.gateway").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("dev.conduit.gateway").removeHandler(capture);
    }

    @Test
    void theAccessLogLineCarriesTheRequestId() {
        given().header("X-Request-Id", "log-test-1").when().get("/api/tags?x=1").then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(line ->
                line.logger().equals("dev.conduit.gateway.access") && line.message().startsWith("GET /api/tags?x=1 200 post-service")
                        && "log-test-1".equals(line.requestId())));
    }

    @Test
    void linesWrittenAfterARetryDelayStillCarryTheRequestId() {
        StubServices.dropNext(StubServices.USER, 1);
        given().header("X-Request-Id", "log-test-2").when().get("/api/profiles/jake").then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(line ->
                line.logger().equals("dev.conduit.gateway.access") && "log-test-2".equals(line.requestId())));
        List<Line> ours = lines.stream().filter(line -> "log-test-2".equals(line.requestId())).toList();
        assertTrue(ours.stream().anyMatch(line -> line.message().startsWith("retrying GET /profiles/jake")), ours.toString());
        assertTrue(lines.stream().filter(line -> line.message().contains("/profiles/jake"))
                .allMatch(line -> "log-test-2".equals(line.requestId())), lines.toString());
    }

    @Test
    void refusalsAreLoggedWithTheirIdToo() {
        given().header("X-Request-Id", "log-test-3").when().get("/api/user").then().statusCode(401);
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(line ->
                line.message().startsWith("GET /api/user 401 gateway") && "log-test-3".equals(line.requestId())));
    }
}

package dev.conduit.post;

import dev.conduit.localstack.testing.ConduitTestResource;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A service's log lines carry the X-Request-Id the gateway sent (service-support's RequestIdLogging),
 * also those written after a MongoDB round trip; an id that is not sane is not logged.
 */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class RequestIdLoggingTest {

    private record Line(String message, String requestId) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ExtLogRecord ext = (ExtLogRecord) record;
            lines.add(new Line(ext.getFormattedMessage(), ext.getMdc("requestId")));
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
        Logger.getLogger(LogProbeResource.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger(LogProbeResource.class.getName()).removeHandler(capture);
    }

    @Test
    void linesBeforeAndAfterAMongoHopCarryTheHeadersRequestId() {
        given().header("X-Request-Id", "svc-log-1").get("/test/log-probe").then().statusCode(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> lines.size() >= 2);
        assertEquals(List.of(new Line("log probe before MongoDB", "svc-log-1"), new Line("log probe after MongoDB", "svc-log-1")),
                lines);
    }

    @Test
    void anIdThatCouldForgeALogLineIsLeftOut() {
        given().header("X-Request-Id", "x y\tz").get("/test/log-probe").then().statusCode(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> lines.size() >= 2);
        lines.forEach(line -> assertNull(line.requestId(), line.toString()));
    }
}

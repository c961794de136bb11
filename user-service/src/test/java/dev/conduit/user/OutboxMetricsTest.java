package dev.conduit.user;

import dev.conduit.events.Topics;
import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.Scrape;
import dev.conduit.localstack.testing.TestServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbox metrics in Prometheus form: while Kafka is away the backlog (pending events, age of the
 * oldest) grows and the relay's sends fail; once it is back the backlog drains and sends succeed.
 */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class OutboxMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> USERS = Map.of("collection", "users");
    private static final Map<String, String> SENT = Map.of("topic", Topics.USERS, "outcome", "success");
    private static final Map<String, String> FAILED = Map.of("topic", Topics.USERS, "outcome", "failure");

    @TestHTTPResource(value = "/", management = true)
    URL management;

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void theBacklogGrowsWhileKafkaIsAwayAndDrainsWhenItIsBack() {
        Users.register();
        await("the registration relayed").atMost(WAIT).until(() -> Scrape.of(management)
                .valueOrZero("conduit_outbox_send_seconds_count", SENT) >= 1);
        await("nothing pending").atMost(WAIT).until(() -> scrape().value("conduit_outbox_pending", USERS).orElse(-1) == 0);
        assertEquals(0, scrape().value("conduit_outbox_oldest_age_seconds", USERS).orElseThrow());
        double sentBefore = scrape().valueOrZero("conduit_outbox_send_seconds_count", SENT);
        double failedBefore = scrape().valueOrZero("conduit_outbox_send_seconds_count", FAILED);

        TestServers.stopKafka();
        try {
            Users.register();
            Users.register();
            await("both events pending").atMost(WAIT).until(() -> scrape().value("conduit_outbox_pending", USERS).orElse(0) >= 2);
            AtomicReference<Double> age = new AtomicReference<>();
            await("the oldest event ages").atMost(WAIT).until(() -> {
                age.set(scrape().value("conduit_outbox_oldest_age_seconds", USERS).orElse(0));
                return age.get() > 0;
            });
            await("and keeps ageing").atMost(WAIT)
                    .until(() -> scrape().value("conduit_outbox_oldest_age_seconds", USERS).orElse(0) > age.get() + 1);
            await("the relay's sends fail").atMost(WAIT)
                    .until(() -> scrape().valueOrZero("conduit_outbox_send_seconds_count", FAILED) > failedBefore);
        } finally {
            TestServers.restoreKafka(management);
        }

        await("the backlog drained").atMost(WAIT).until(() -> scrape().value("conduit_outbox_pending", USERS).orElse(-1) == 0);
        await("no age without a backlog").atMost(WAIT)
                .until(() -> scrape().value("conduit_outbox_oldest_age_seconds", USERS).orElse(-1) == 0);
        Scrape after = scrape();
        assertTrue(after.valueOrZero("conduit_outbox_send_seconds_count", SENT) >= sentBefore + 2, after.text());
        // latency histogram buckets are published, cumulative up to +Inf
        assertEquals(after.valueOrZero("conduit_outbox_send_seconds_count", SENT),
                after.value("conduit_outbox_send_seconds_bucket", Map.of("topic", Topics.USERS, "outcome", "success", "le", "+Inf"))
                        .orElseThrow());
        assertTrue(after.value("conduit_outbox_send_seconds_bucket",
                Map.of("topic", Topics.USERS, "outcome", "success", "le", "0.1")).isPresent(), after.text());
        // and the HTTP requests' latency, per route template, with buckets too
        assertTrue(after.value("http_server_requests_seconds_bucket",
                Map.of("method", "POST", "uri", "/users", "status", "201", "le", "0.1")).isPresent(), after.text());
    }

    private Scrape scrape() {
        return Scrape.of(management);
    }
}

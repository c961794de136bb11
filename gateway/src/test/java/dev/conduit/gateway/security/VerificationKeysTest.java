package dev.conduit.gateway.security;

import com.sun.net.httpserver.HttpServer;
import dev.conduit.gateway.config.GatewayConfig;
import dev.conduit.localstack.JwtKeys;
import dev.conduit.localstack.Ports;
import dev.conduit.localstack.testing.TestKeys;
import io.vertx.core.Vertx;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The edge's key cache against a stand-in for user-service's JWK set, without the gateway around it. */
class VerificationKeysTest {

    private static final Duration MIN_REFRESH = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile int maxAge = 60;
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        vertx.close();
    }

    @Test
    void startedBeforeUserServiceItVerifiesNothingUntilTheKeySetCanBeFetched() throws Exception {
        JwtKeys.ensure(dir);
        int port = Ports.free();
        VerificationKeys keys = keys(port);
        String kid = TestKeys.signingKid(dir);
        assertNull(get(keys, kid), "nothing to verify with yet");
        serve(port);
        assertNotNull(get(keys, kid), "fetched at the next token, however soon");
        assertNotNull(get(keys, null), "a token without kid: the only key");
    }

    @Test
    void aRequestThatReadTheSetJustBeforeAFetchLandedGetsTheKeyItBrought() throws Exception {
        JwtKeys.ensure(dir);
        int port = Ports.free();
        serve(port);
        VerificationKeys keys = keys(port);
        String kid = TestKeys.signingKid(dir);
        assertNotNull(get(keys, kid), "the first fetch brought the key");
        // what a request does that read the set before that fetch was installed: within the minimum
        // interval, so no new fetch may be made; the key must come from the set held now
        int before = fetches.get();
        assertNotNull(missing(keys, kid));
        assertEquals(before, fetches.get(), "no fetch for a key already held");
        assertNull(missing(keys, UUID.randomUUID().toString()),
                "a kid nobody publishes is still refused");
    }

    @Test
    void madeUpKidsCostUserServiceAtMostOneFetchPerInterval() throws Exception {
        JwtKeys.ensure(dir);
        int port = Ports.free();
        serve(port);
        VerificationKeys keys = keys(port);
        assertNotNull(get(keys, TestKeys.signingKid(dir)));
        int before = fetches.get();
        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            assertNull(get(keys, UUID.randomUUID().toString()));
        }
        long intervals = (System.nanoTime() - start) / MIN_REFRESH.toNanos();
        int made = fetches.get() - before;
        assertTrue(made <= intervals + 1, made + " fetches in " + intervals + " intervals");
    }

    @Test
    void aKeyLeavesWithTheCachedSetAndTheHeldKeysOutliveAnOutage() throws Exception {
        JwtKeys.ensure(dir);
        TestKeys.Extra next = TestKeys.add(dir);
        int port = Ports.free();
        maxAge = 1;
        serve(port);
        VerificationKeys keys = keys(port);
        String kid = TestKeys.signingKid(dir);
        assertNotNull(get(keys, next.kid()));

        next.remove();
        Awaitility.await("the removed key leaves once the cached set expired").atMost(Duration.ofSeconds(10))
                .until(() -> get(keys, next.kid()) == null);

        server.stop(0);
        server = null;
        int before = fetches.get();
        Awaitility.await("the held key keeps verifying while the set cannot be fetched")
                .during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> get(keys, kid) != null);
        assertEquals(before, fetches.get(), "nothing was served meanwhile");
    }

    private VerificationKeys keys(int port) {
        URI url = URI.create("http://127.0.0.1:" + port + "/internal/jwks");
        return new VerificationKeys(vertx, new GatewayConfig.Jwks() {
            @Override
            public URI url() {
                return url;
            }

            @Override
            public Duration refreshInterval() {
                return Duration.ofSeconds(60);
            }

            @Override
            public Duration minRefreshInterval() {
                return MIN_REFRESH;
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(2);
            }
        });
    }

    private static PublicKey get(VerificationKeys keys, String kid) throws Exception {
        return keys.key(kid).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static PublicKey missing(VerificationKeys keys, String kid) throws Exception {
        return keys.missing(kid).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private void serve(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/internal/jwks", exchange -> {
            fetches.incrementAndGet();
            byte[] body = TestKeys.jwks(dir).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Cache-Control", "max-age=" + maxAge);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }
}

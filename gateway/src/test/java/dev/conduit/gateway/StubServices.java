package dev.conduit.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.conduit.localstack.JwtKeys;
import dev.conduit.localstack.testing.TestKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Four stand-in services on free loopback ports, so the gateway's own behaviour is tested without
 * the real services. Each is an echo stub: it records every request it receives (method, URI,
 * headers, body) and answers {@code {"service":..,"method":..,"uri":..,"bodyLength":..}}, unless a
 * test scripted another answer, made it slow, made it drop connections, or stopped it. The
 * user-service stub also publishes the run's key folder as user-service does ({@code GET
 * /internal/jwks}, not recorded), so the gateway fetches its keys as in production and tests sign
 * with the folder's private key.
 */
public class StubServices implements QuarkusTestResourceLifecycleManager {

    public static final String USER = "user-service";
    public static final String POST = "post-service";
    public static final String COMMENT = "comment-service";
    public static final String TRENDING = "trending-service";

    /** Readiness status each stub answers with, by service name; tests change it. */
    public static final Map<String, Integer> READY_STATUS = new ConcurrentHashMap<>();
    /** Health requests the stubs answered (readiness and platform group), to see what fans out. */
    public static final java.util.concurrent.atomic.AtomicInteger HEALTH_PROBES = new java.util.concurrent.atomic.AtomicInteger();

    /** The key folder of the test run. */
    public static volatile JwtKeys keys;
    /** The {@code Cache-Control: max-age} of the published key set, in seconds; tests change it. */
    public static final AtomicInteger JWKS_MAX_AGE = new AtomicInteger(60);
    /** Whether the key set is served (else 503, as when user-service is away); tests change it. */
    public static volatile boolean jwksServed = true;
    /** How often the gateway fetched the key set. */
    public static final AtomicInteger JWKS_FETCHES = new AtomicInteger();

    private static final Map<String, Stub> STUBS = new ConcurrentHashMap<>();

    /** Event streams the stubs hold open ({@code /live/*}), oldest first, until {@link #reset()}. */
    public static final List<LiveStream> LIVE_STREAMS = new CopyOnWriteArrayList<>();
    /**
     * How often an idle stub stream writes a keep-alive comment; writing is also how it notices that the
     * gateway closed the connection. Tests raise it to keep a stream silent.
     */
    public static volatile long liveHeartbeatMillis = 20;
    private static final String END_OF_STREAM = "end of stream";

    /**
     * One {@code text/event-stream} a stub serves: it writes (and flushes) each event a test sends,
     * keeps the connection open in between, and notes when the gateway closed it.
     */
    public static final class LiveStream {
        public final String service;
        public final Received request;
        private final java.util.concurrent.BlockingQueue<String> outbox = new java.util.concurrent.LinkedBlockingQueue<>();
        private final CountDownLatch closed = new CountDownLatch(1);
        /** Bytes written to the gateway so far (a write blocks while the gateway does not read). */
        public final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();

        LiveStream(String service, Received request) {
            this.service = service;
            this.request = request;
        }

        /** Writes one event, e.g. {@code "id: 1\nevent: comment\ndata: {}\n\n"}. */
        public void send(String event) {
            outbox.add(event);
        }

        /** The stub ends its response (chunked terminator); the stream is over. */
        public void end() {
            outbox.add(END_OF_STREAM);
        }

        /** Whether the stub's side is over: ended by the stub, or the gateway closed the connection. */
        public boolean isClosed() {
            return closed.getCount() == 0;
        }
    }

    /** A request as the stub received it; header names lower-cased. */
    public record Received(String method, String uri, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : String.join(",", values);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A scripted answer. */
    public record Reply(int status, Map<String, String> headers, String body) {
    }

    static {
        // without it the JDK server's separate head and body writes meet delayed ACKs: 40 ms a request
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>();
        try {
            keys = JwtKeys.ensure(Files.createTempDirectory("gateway-test-keys"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String name : new String[] {USER, POST, COMMENT, TRENDING}) {
            READY_STATUS.put(name, 200);
            Stub stub = new Stub(name);
            stub.start(0);
            STUBS.put(name, stub);
            config.put("conduit.gateway." + name + "-url", "http://127.0.0.1:" + stub.port);
            config.put("conduit.gateway." + name + "-management-url", "http://127.0.0.1:" + stub.port);
        }
        config.put("conduit.gateway.jwks.url", "http://127.0.0.1:" + STUBS.get(USER).port + "/internal/jwks");
        return config;
    }

    @Override
    public void stop() {
        STUBS.values().forEach(Stub::stop);
        STUBS.clear();
    }

    public static List<Received> received(String service) {
        return List.copyOf(STUBS.get(service).received);
    }

    public static int receivedCount(String service) {
        return STUBS.get(service).received.size();
    }

    /** The only request the service received since the last {@link #reset()}; fails if there were others. */
    public static Received single(String service) {
        List<Received> all = received(service);
        if (all.size() != 1) {
            throw new AssertionError(service + " received " + all.size() + " requests, expected 1: "
                    + all.stream().map(r -> r.method() + " " + r.uri()).toList());
        }
        return all.get(0);
    }

    /** The service's next answers, in order; echo again afterwards. */
    public static void script(String service, Reply... replies) {
        STUBS.get(service).script.addAll(List.of(replies));
    }

    /** The service drops the connection, without answering, on its next {@code count} requests. */
    public static void dropNext(String service, int count) {
        STUBS.get(service).drops.set(count);
    }

    /** The service holds every answer until {@link #reset()}. */
    public static void hang(String service) {
        STUBS.get(service).gate = new CountDownLatch(1);
    }

    /** The service stops listening: connections are refused. */
    public static void kill(String service) {
        STUBS.get(service).stop();
    }

    /** Back to a listening echo stub with nothing recorded, on every service. */
    public static void reset() {
        for (Stub stub : STUBS.values()) {
            CountDownLatch gate = stub.gate;
            stub.gate = null;
            if (gate != null) {
                gate.countDown();
            }
            stub.script.clear();
            stub.drops.set(0);
            if (stub.server == null) {
                stub.start(stub.port);
            }
            stub.received.clear();
        }
        LIVE_STREAMS.forEach(LiveStream::end);
        LIVE_STREAMS.clear();
        liveHeartbeatMillis = 20;
        READY_STATUS.replaceAll((name, status) -> 200);
        JWKS_MAX_AGE.set(60);
        jwksServed = true;
    }

    private static final class Stub {
        final String name;
        final List<Received> received = new CopyOnWriteArrayList<>();
        final Queue<Reply> script = new ConcurrentLinkedQueue<>();
        final AtomicInteger drops = new AtomicInteger();
        volatile CountDownLatch gate;
        volatile HttpServer server;
        volatile ExecutorService executor;
        int port;

        Stub(String name) {
            this.name = name;
        }

        synchronized void start(int wantedPort) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    HttpServer created = HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 128);
                    created.createContext("/q/health/", this::ready);
                    created.createContext("/internal/jwks", this::jwks);
                    created.createContext("/live/", this::live);
                    created.createContext("/", this::echo);
                    executor = Executors.newCachedThreadPool(r -> {
                        Thread thread = new Thread(r, "stub-" + name);
                        thread.setDaemon(true);
                        return thread;
                    });
                    created.setExecutor(executor);
                    created.start();
                    server = created;
                    port = created.getAddress().getPort();
                    return;
                } catch (BindException taken) {
                    // a restart on the same port can race the previous socket's release
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("cannot restart stub " + name + " on port " + wantedPort, taken);
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot start stub " + name, e);
                }
            }
        }

        synchronized void stop() {
            if (server != null) {
                server.stop(0);
                executor.shutdownNow();
                server = null;
            }
        }

        private void ready(HttpExchange exchange) throws IOException {
            HEALTH_PROBES.incrementAndGet();
            int status = READY_STATUS.get(name);
            byte[] body = ("{\"status\":\"" + (status == 200 ? "UP" : "DOWN") + "\",\"checks\":[]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        private void jwks(HttpExchange exchange) throws IOException {
            JWKS_FETCHES.incrementAndGet();
            if (!jwksServed) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            byte[] body = TestKeys.jwks(keys.dir()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            exchange.getResponseHeaders().add("Cache-Control", "max-age=" + JWKS_MAX_AGE.get());
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        private void live(HttpExchange exchange) throws IOException {
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((key, values) ->
                    headers.put(key.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers,
                    exchange.getRequestBody().readAllBytes());
            received.add(request);
            CountDownLatch held = gate;
            if (held != null) {
                try {
                    held.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Reply reply = script.poll();
            if (reply != null) {
                reply.headers().forEach((key, value) -> exchange.getResponseHeaders().add(key, value));
                byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
                return;
            }
            LiveStream stream = new LiveStream(name, request);
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            LIVE_STREAMS.add(stream);
            try (OutputStream out = exchange.getResponseBody()) {
                while (true) {
                    String event = stream.outbox.poll(liveHeartbeatMillis, TimeUnit.MILLISECONDS);
                    if (END_OF_STREAM.equals(event)) {
                        break;
                    }
                    byte[] bytes = (event == null ? ":\n" : event).getBytes(StandardCharsets.UTF_8);
                    out.write(bytes);
                    out.flush();
                    stream.written.addAndGet(bytes.length);
                }
            } catch (IOException | InterruptedException gone) {
                // the gateway closed the connection: its client left
            } finally {
                stream.closed.countDown();
                exchange.close();
            }
        }

        private void echo(HttpExchange exchange) throws IOException {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((key, values) ->
                    headers.put(key.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
            String uri = exchange.getRequestURI().toString();
            received.add(new Received(exchange.getRequestMethod(), uri, headers, body));

            if (drops.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                // closing an exchange before its response head closes the connection
                exchange.close();
                return;
            }
            CountDownLatch held = gate;
            if (held != null) {
                try {
                    held.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Reply reply = script.poll();
            if (reply == null) {
                reply = new Reply(200, Map.of("Content-Type", "application/json"),
                        "{\"service\":\"" + name + "\",\"method\":\"" + exchange.getRequestMethod()
                                + "\",\"uri\":\"" + uri.replace("\"", "\\\"") + "\",\"bodyLength\":" + body.length + "}");
            }
            reply.headers().forEach((key, value) -> exchange.getResponseHeaders().add(key, value));
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}

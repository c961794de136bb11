package dev.conduit.gateway;

import com.sun.net.httpserver.HttpServer;
import dev.conduit.localstack.JwtKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Three stand-in services on free loopback ports whose readiness a test can set, so the gateway's
 * own behaviour is tested without starting the real services. Also gives the gateway a public key
 * to verify tokens with.
 */
public class StubServices implements QuarkusTestResourceLifecycleManager {

    /** Readiness status each stub answers with, by service name; tests change it. */
    public static final Map<String, Integer> READY_STATUS = new ConcurrentHashMap<>();

    private final Map<String, HttpServer> servers = new LinkedHashMap<>();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>();
        try {
            JwtKeys keys = JwtKeys.ensure(Files.createTempDirectory("gateway-test-keys"));
            config.put("mp.jwt.verify.publickey.location", keys.publicKey().toUri().toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String name : new String[] {"user-service", "post-service", "comment-service"}) {
            READY_STATUS.put(name, 200);
            HttpServer server = create(name);
            servers.put(name, server);
            config.put("conduit.gateway." + name + "-url", "http://127.0.0.1:" + server.getAddress().getPort());
        }
        return config;
    }

    private static HttpServer create(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/q/health/ready", exchange -> {
                int status = READY_STATUS.get(name);
                byte[] body = ("{\"status\":\"" + (status == 200 ? "UP" : "DOWN") + "\",\"checks\":[]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start stub " + name, e);
        }
    }

    @Override
    public void stop() {
        servers.values().forEach(s -> s.stop(0));
    }
}

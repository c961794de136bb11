package dev.conduit.trending;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.conduit.events.Topics;
import dev.conduit.localstack.testing.TestServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A second trending instance in the service's consumer group (plain Kafka Streams, same topology),
 * whose {@code application.server} is a stand-in HTTP server: it answers its part of a ranking with
 * one entry of its own ({@value #PEER_TAG}, {@value #PEER_ARTICLE}), or, while the system property
 * {@value #DOWN} is {@code true}, does not answer at all (500).
 */
public class ScatterTestResource implements QuarkusTestResourceLifecycleManager {

    static final String DOWN = "conduit.test.trending.peer.down";
    static final String PEER_TAG = "peer-tag";
    static final String PEER_ARTICLE = "peer000000000000000000aa";

    private HttpServer peerHttp;
    private KafkaStreams peer;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(TestServers.config());
        TrendingTestResource.createTopics(TestServers.kafkaBootstrap(), List.of(Topics.POSTS, Topics.COMMENTS));
        String run = UUID.randomUUID().toString().substring(0, 8);
        String applicationId = "conduit-trending-scatter-" + run;
        try {
            peerHttp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        peerHttp.createContext("/internal/trending/tags", e -> answer(e, "[{\"key\":\"" + PEER_TAG + "\",\"score\":1000}]"));
        peerHttp.createContext("/internal/trending/articles", e -> answer(e, "[{\"key\":\"" + PEER_ARTICLE + "\",\"score\":1000}]"));
        peerHttp.start();
        peer = StreamsApp.create(TestServers.kafkaBootstrap(), applicationId,
                Path.of("target", "scatter-peer-state", run).toAbsolutePath(), Topics.POSTS, Topics.COMMENTS,
                "127.0.0.1:" + peerHttp.getAddress().getPort());
        peer.start();
        config.put("quarkus.kafka-streams.application-id", applicationId);
        config.put("kafka-streams.state.dir", Path.of("target", "scatter-state", run).toAbsolutePath().toString());
        config.put("conduit.trending.post-service-url", PostServiceStub.start());
        return config;
    }

    @Override
    public void stop() {
        if (peer != null) {
            peer.close(Duration.ofSeconds(10));
        }
        if (peerHttp != null) {
            peerHttp.stop(0);
        }
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        int status = Boolean.getBoolean(DOWN) ? 500 : 200;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

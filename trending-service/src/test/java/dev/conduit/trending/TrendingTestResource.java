package dev.conduit.trending;

import dev.conduit.events.Topics;
import dev.conduit.localstack.testing.TestServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The shared Kafka broker (and MongoDB-wire server, unused here) of the test JVM, the two source
 * topics (Streams waits for them), a fresh state directory and a stub of post-service.
 */
public class TrendingTestResource implements QuarkusTestResourceLifecycleManager {

    static final Path STATE_DIR = Path.of("target", "trending-state");

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(TestServers.config());
        createTopics(TestServers.kafkaBootstrap(), List.of(Topics.POSTS, Topics.COMMENTS));
        deleteRecursively(STATE_DIR);
        config.put("kafka-streams.state.dir", STATE_DIR.toAbsolutePath().toString());
        config.put("conduit.trending.post-service-url", PostServiceStub.start());
        return config;
    }

    @Override
    public void stop() {
        // the servers and the stub are shared by the JVM's test classes and end with it
    }

    static void createTopics(String bootstrap, List<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create " + topic, e);
                    }
                }
            }
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

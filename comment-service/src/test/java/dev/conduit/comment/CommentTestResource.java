package dev.conduit.comment;

import dev.conduit.localstack.testing.TestServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * The test resource of every test class here (one set, so Quarkus starts the service once): the
 * shared Kafka broker and MongoDB-wire server, and a stub of post-service's internal lookup.
 */
public class CommentTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(TestServers.config());
        config.put("quarkus.rest-client.post-service.url", PostServiceStub.start());
        return config;
    }

    @Override
    public void stop() {
        // the servers and the stub are shared by the JVM's test classes and end with it
    }
}

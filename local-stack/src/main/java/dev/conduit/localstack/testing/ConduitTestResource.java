package dev.conduit.localstack.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * The test resource of every service's {@code @QuarkusTest}: a real Kafka broker and a real
 * MongoDB-wire server on free loopback ports, plus a JWT key pair made for the run. The servers are
 * shared by all test classes of the JVM and end with it.
 */
public class ConduitTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestServers.config();
    }

    @Override
    public void stop() {
        // shared by the JVM's other test classes; TestServers stops them when the JVM exits
    }
}

package dev.conduit.localstack;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Free ports handed out in one JVM never repeat, so one platform's parts never share a port. */
class PortsTest {

    @Test
    void aPortIsHandedOutOnce() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            int port = Ports.free();
            assertTrue(seen.add(port), "port " + port + " handed out twice");
            assertTrue(Ports.isFree(port), "port " + port + " is not free");
        }
    }
}

package dev.conduit.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Loopback port helpers. */
public final class Ports {

    /**
     * Every port {@link #free} handed out in this JVM. The OS may offer a port it just gave out again
     * as soon as the probing socket is closed, and nothing binds it until the part it was meant for
     * starts: two parts of one platform then got the same port ("two parts are set to the same port").
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int ATTEMPTS = 100;

    private Ports() {
    }

    /** A port that was free on 127.0.0.1 a moment ago and that this JVM never handed out before. */
    public static int free() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new LaunchException("cannot find a free loopback port: " + e.getMessage(), e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new LaunchException("cannot find a loopback port not handed out before after " + ATTEMPTS + " attempts");
    }

    /** Whether something could bind {@code port} on 127.0.0.1 right now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

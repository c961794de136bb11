package dev.conduit.gateway.proxy;

import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import org.jboss.logging.Logger;

import java.util.function.BooleanSupplier;

/**
 * A service's response body relayed to the client chunk by chunk, for the buffered and the streamed
 * exchange alike: the service is paused while the client's write queue is full; a body the service
 * breaks off resets the client's response (a broken response, never a complete short one); nothing
 * is written once the client has left.
 */
final class BodyRelay {

    private static final Logger LOG = Logger.getLogger(BodyRelay.class);

    private BodyRelay() {
    }

    static void relay(HttpClientResponse inbound, HttpServerResponse response, BooleanSupplier clientGone, String service) {
        inbound.handler(chunk -> {
            if (clientGone.getAsBoolean()) {
                return;
            }
            response.write(chunk);
            if (response.writeQueueFull()) {
                inbound.pause();
                response.drainHandler(v -> inbound.resume());
            }
        });
        inbound.exceptionHandler(e -> {
            if (!clientGone.getAsBoolean()) {
                LOG.debugf("%s broke off its response: %s", service, e);
                response.reset();
            }
        });
        inbound.endHandler(v -> {
            if (!clientGone.getAsBoolean()) {
                response.end();
            }
        });
    }
}

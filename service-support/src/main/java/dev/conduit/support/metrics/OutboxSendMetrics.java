package dev.conduit.support.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.SubscriberDecorator;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code conduit.outbox.send}: how long Kafka takes to acknowledge a record the outbox relay sends,
 * tagged {@code topic} and {@code outcome} (success, failure). Measured on the outgoing Kafka
 * channels themselves (the relay's only way out), from the record entering the connector to its
 * ack or nack, so the relay needs no code for it. The topic is the channel's configured one.
 * Only channels the configuration declares are timed, not the connector's dead-letter producers.
 */
@ApplicationScoped
public class OutboxSendMetrics implements SubscriberDecorator {

    public static final String NAME = "conduit.outbox.send";

    private final MeterRegistry registry;
    private final Config config;

    public OutboxSendMetrics(MeterRegistry registry, Config config) {
        this.registry = registry;
        this.config = config;
    }

    @Override
    public Multi<? extends Message<?>> decorate(Multi<? extends Message<?>> toBeSubscribed, List<String> channelName,
                                                boolean isConnector) {
        if (!isConnector || channelName.isEmpty() || !declared(channelName.get(0))) {
            return toBeSubscribed;
        }
        String channel = channelName.get(0);
        String topic = config.getOptionalValue("mp.messaging.outgoing." + channel + ".topic", String.class).orElse(channel);
        Timer success = timer(topic, "success");
        Timer failure = timer(topic, "failure");
        return toBeSubscribed.map(message -> {
            long start = System.nanoTime();
            return message
                    .withAckWithMetadata(metadata -> message.ack(metadata)
                            .thenRun(() -> success.record(System.nanoTime() - start, TimeUnit.NANOSECONDS)))
                    .withNackWithMetadata((reason, metadata) -> message.nack(reason, metadata)
                            .thenRun(() -> failure.record(System.nanoTime() - start, TimeUnit.NANOSECONDS)));
        });
    }

    /**
     * Whether the service's configuration declares this outgoing channel: the relay's are, the
     * dead-letter producers the connector adds for each incoming channel are not.
     */
    private boolean declared(String channel) {
        String prefix = "mp.messaging.outgoing." + channel + ".";
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private Timer timer(String topic, String outcome) {
        return Timer.builder(NAME)
                .description("time from the relay's send to Kafka's acknowledgement")
                .tag("topic", topic)
                .tag("outcome", outcome)
                .register(registry);
    }
}

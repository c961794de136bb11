package dev.conduit.support.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Readiness gate of a starting service: not ready until each Kafka consumer channel has been given
 * partitions, so "ready" after a restart means its read models move again, instead of saying UP
 * while the group still waits for a dead member to expire. Once a channel has had partitions it
 * counts as started for good: a later Kafka outage does not make the service unready (its outbox
 * buffers, and the consumer resumes by itself). A channel that gets nothing within {@code grace}
 * (Kafka down at start, or more instances than partitions) no longer holds readiness back; the
 * check then says so in its data.
 */
@Readiness
@HealthGroup(KafkaConnectionCheck.GROUP)
@ApplicationScoped
public class ConsumersAssignedCheck implements AsyncHealthCheck {

    static final String NAME = "Kafka consumers assigned";

    private final KafkaClientService kafka;
    private final Duration grace;
    private final Duration askTimeout;
    private final long startedAt = System.nanoTime();
    private final Set<String> started = ConcurrentHashMap.newKeySet();

    public ConsumersAssignedCheck(KafkaClientService kafka,
                                  @ConfigProperty(name = "conduit.health.consumer-start-grace", defaultValue = "60s") Duration grace,
                                  @ConfigProperty(name = "conduit.health.kafka-timeout", defaultValue = "1500ms") Duration askTimeout) {
        this.kafka = kafka;
        this.grace = grace;
        this.askTimeout = askTimeout;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<String> channels = kafka.getConsumerChannels().stream().sorted().toList();
        if (channels.isEmpty()) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).up().build());
        }
        List<Uni<Map.Entry<String, String>>> states = channels.stream().map(this::state).toList();
        return Uni.join().all(states).andFailFast().map(results -> {
            HealthCheckResponseBuilder builder = HealthCheckResponse.named(NAME).up();
            boolean graceOver = System.nanoTime() - startedAt > grace.toNanos();
            for (Map.Entry<String, String> result : results) {
                builder.withData(result.getKey(), result.getValue());
                if (!started.contains(result.getKey()) && !graceOver) {
                    builder.down();
                }
            }
            return builder.build();
        });
    }

    private Uni<Map.Entry<String, String>> state(String channel) {
        if (started.contains(channel)) {
            return Uni.createFrom().item(Map.entry(channel, "started"));
        }
        // runs on the channel's polling thread, which may be inside a poll: bounded wait; deferred,
        // since a channel whose consumer is not created yet throws
        return Uni.createFrom().deferred(() -> kafka.getConsumer(channel).getAssignments())
                .ifNoItem().after(askTimeout).fail()
                .map(assigned -> {
                    if (!assigned.isEmpty()) {
                        started.add(channel);
                        return "started (" + describe(assigned) + ")";
                    }
                    return "waiting for partitions";
                })
                .onFailure().recoverWithItem(e -> "waiting for partitions (" + e.getClass().getSimpleName() + ")")
                .map(state -> Map.entry(channel, state));
    }

    private static String describe(Set<TopicPartition> partitions) {
        return partitions.size() + " partition" + (partitions.size() == 1 ? "" : "s") + " of "
                + partitions.stream().map(TopicPartition::topic).distinct().sorted().toList();
    }
}

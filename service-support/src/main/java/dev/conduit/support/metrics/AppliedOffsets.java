package dev.conduit.support.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per partition, the offset of the next record this service has yet to finish (applied and
 * acknowledged, or parked in the dead-letter topic): what {@link ConsumerLagMetrics} counts the
 * records held in the connector's queue against. Records of a partition are finished in order.
 */
@ApplicationScoped
public class AppliedOffsets {

    private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();

    void finished(String topic, int partition, long offset) {
        next.merge(new TopicPartition(topic, partition), offset + 1, Math::max);
    }

    /** The next offset to finish, or -1 when none of the partition's records was finished yet. */
    long next(TopicPartition partition) {
        return next.getOrDefault(partition, -1L);
    }
}

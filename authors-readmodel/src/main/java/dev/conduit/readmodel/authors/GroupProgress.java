package dev.conduit.readmodel.authors;

import dev.conduit.support.health.KafkaConnectionCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Whether the read model's consumer group (all its replicas together) has applied a topic up to a
 * position: its committed offsets. The author cache's reader starts at the end of the topic, so an
 * event just before that end may still be unapplied (a rebalance during a rolling update pauses the
 * group); until the group's commits pass the reader's start, a document read from MongoDB could
 * miss an event the reader will never see, and nothing is cached.
 */
final class GroupProgress implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Object> adminConfig;
    private final String group;
    private final String topic;
    private Admin admin;

    GroupProgress(Map<String, Object> kafka, String group, String topic) {
        this.adminConfig = new HashMap<>(KafkaConnectionCheck.adminConfig(kafka, TIMEOUT));
        this.adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "author-cache-" + group);
        this.group = group;
        this.topic = topic;
    }

    /** Whether every record before {@code start} (per partition) has been applied and committed by the group. */
    synchronized boolean applied(long[] start) throws InterruptedException, ExecutionException, TimeoutException {
        if (admin == null) {
            admin = Admin.create(adminConfig);
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (caughtUp(start, p -> offset(committed.get(new TopicPartition(topic, p))))) {
            return true;
        }
        // a partition the group never committed may hold nothing before start (empty, or all expired)
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < start.length; p++) {
            earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> first = admin.listOffsets(earliest).all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return caughtUp(start, p -> {
            Long offset = offset(committed.get(new TopicPartition(topic, p)));
            long logStart = first.get(new TopicPartition(topic, p)).offset();
            return offset == null || offset < logStart ? Long.valueOf(logStart) : offset;
        });
    }

    /** Whether each partition's applied offset (null: unknown) has reached its start. */
    static boolean caughtUp(long[] start, IntFunction<Long> applied) {
        for (int p = 0; p < start.length; p++) {
            if (start[p] > 0) {
                Long offset = applied.apply(p);
                if (offset == null || offset < start[p]) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Long offset(OffsetAndMetadata committed) {
        return committed == null ? null : committed.offset();
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}

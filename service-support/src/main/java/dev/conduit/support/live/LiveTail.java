package dev.conduit.support.live;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The one reader of a topic in this instance: a consumer without a group ({@code assign} to every
 * partition, from the end as of its start), so a killed instance leaves no group state behind and a
 * restart never waits for a rebalance. Each record goes to every stream's queue by a non-blocking
 * offer under this reader's lock; the same lock makes a new stream's start position exact (no
 * record is both before it and in its queue, none is neither).
 */
final class LiveTail implements Runnable {

    static final String TYPE_HEADER = "conduit-event-type";
    private static final Logger LOG = Logger.getLogger(LiveTail.class);

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private final List<TailListener> subscribers = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean dead;
    private volatile KafkaConsumer<String, String> consumer;
    /** Next offset per partition, guarded by {@code this}. */
    private long[] positions;

    LiveTail(String topic, Map<String, Object> consumerConfig) {
        this.topic = topic;
        this.consumerConfig = consumerConfig;
        this.thread = new Thread(this, "live-reader-" + topic);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Completes with the partition count once the start position is known. */
    CompletableFuture<Integer> ready() {
        return ready;
    }

    boolean dead() {
        return dead;
    }

    String topic() {
        return topic;
    }

    /**
     * Adds a listener and returns the position from which it receives every record; call it once
     * {@link #ready()} completed. A reader that stopped meanwhile refuses it, so that no listener
     * waits for records that never come.
     */
    synchronized long[] subscribe(TailListener subscription) {
        if (dead) {
            throw new IllegalStateException("live reader of " + topic + " stopped");
        }
        subscribers.add(subscription);
        return positions.clone();
    }

    synchronized void unsubscribe(TailListener subscription) {
        subscribers.remove(subscription);
    }

    @Override
    public void run() {
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer = kafka;
            List<TopicPartition> partitions = partitions(kafka);
            kafka.assign(partitions);
            kafka.seekToEnd(partitions);
            long[] start = new long[partitions.size()];
            for (TopicPartition partition : partitions) {
                start[partition.partition()] = position(kafka, partition);
            }
            synchronized (this) {
                positions = start;
            }
            ready.complete(partitions.size());
            LOG.infof("live reader of %s started at %s", topic, java.util.Arrays.toString(start));
            while (!stopping) {
                for (ConsumerRecord<String, String> record : kafka.poll(Duration.ofSeconds(1))) {
                    dispatch(record);
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                LOG.errorf("live reader of %s woken unexpectedly", topic);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "live reader of %s stopped", topic);
        } finally {
            dead = true;
            ready.completeExceptionally(new IllegalStateException("live reader of " + topic + " stopped"));
            List<TailListener> left;
            synchronized (this) {
                left = List.copyOf(subscribers);
                subscribers.clear();
            }
            // their clients reconnect with Last-Event-ID and resume on a new reader
            left.forEach(TailListener::readerStopped);
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> kafka) throws InterruptedException {
        while (!stopping) {
            try {
                List<PartitionInfo> found = kafka.partitionsFor(topic, Duration.ofSeconds(5));
                if (found != null && !found.isEmpty()) {
                    return found.stream().map(p -> new TopicPartition(topic, p.partition()))
                            .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.debugf("live reader: %s not reachable yet", topic);
            }
            Thread.sleep(500);
        }
        throw new WakeupException();
    }

    private long position(KafkaConsumer<String, String> kafka, TopicPartition partition) {
        while (true) {
            try {
                return kafka.position(partition, Duration.ofSeconds(5));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (stopping) {
                    throw new WakeupException();
                }
            }
        }
    }

    private void dispatch(ConsumerRecord<String, String> record) {
        String type = type(record);
        synchronized (this) {
            if (record.partition() >= positions.length) {
                return;
            }
            positions[record.partition()] = record.offset() + 1;
            LiveRecord live = new LiveRecord(record.partition(), record.offset(), record.key(), type, record.value(), positions.clone());
            for (Iterator<TailListener> it = subscribers.iterator(); it.hasNext(); ) {
                if (!it.next().offer(live)) {
                    it.remove();
                }
            }
        }
    }

    static String type(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader(TYPE_HEADER);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    void stop() {
        stopping = true;
        KafkaConsumer<String, String> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.conduit.support.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code conduit.consumer.lag} (tags {@code group}, {@code topic}, {@code partition}): how many records
 * of each partition a consumer of this service is assigned it has not finished yet (applied, or parked
 * in the dead-letter topic). Two parts, neither needing a broker call:
 * <ul>
 * <li>the records beyond the consumer's fetch position, as the Kafka client measures them at every
 * fetch ({@code records-lag} of {@code consumer-fetch-manager-metrics}), read live at each scrape;</li>
 * <li>the records fetched but not finished, waiting in the connector's queue (up to about two polls'
 * worth, e.g. while a consumer waits for MongoDB): the fetch position, asked of the consumer every
 * {@code conduit.metrics.sample-interval}, less the next offset to finish ({@link AppliedOffsets}).</li>
 * </ul>
 * {@code records-lag} alone would show 0 while a thousand fetched records wait to be applied.
 */
@ApplicationScoped
public class ConsumerLagMetrics {

    public static final String NAME = "conduit.consumer.lag";

    private static final Logger LOG = Logger.getLogger(ConsumerLagMetrics.class);
    private static final String FETCH_GROUP = "consumer-fetch-manager-metrics";

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

    private final KafkaClientService kafka;
    private final Config config;
    private final AppliedOffsets applied;
    private MultiGauge lag;
    /** The rows' state, held here: a gauge holds its object weakly. */
    private volatile List<PartitionLag> partitions = List.of();

    public ConsumerLagMetrics(KafkaClientService kafka, Config config, AppliedOffsets applied) {
        this.kafka = kafka;
        this.config = config;
        this.applied = applied;
    }

    /** One assigned partition: the client's live {@code records-lag} and the last fetch position asked. */
    private final class PartitionLag {
        final TopicPartition partition;
        final Metric recordsLag;
        final long position;

        PartitionLag(TopicPartition partition, Metric recordsLag, long position) {
            this.partition = partition;
            this.recordsLag = recordsLag;
            this.position = position;
        }

        double value() {
            double beyond = recordsLag.metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
            long next = applied.next(partition);
            long queued = position < 0 || next < 0 ? 0 : Math.max(0, position - next);
            if (Double.isNaN(beyond)) {
                return queued > 0 ? queued : Double.NaN;
            }
            return beyond + queued;
        }
    }

    void start(@Observes StartupEvent event, MeterRegistry registry, Scheduler scheduler) {
        Duration interval = config.getOptionalValue("conduit.metrics.sample-interval", Duration.class).orElse(Duration.ofSeconds(5));
        lag = MultiGauge.builder(NAME)
                .description("records behind the end of the partition, per consumer group and partition")
                .register(registry);
        scheduler.newJob("consumer-lag-metrics")
                .setInterval(interval.toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setTask(execution -> refresh())
                .schedule();
    }

    /** Registers a row per partition the consumers hold now; partitions given up disappear. */
    void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        List<PartitionLag> held = new ArrayList<>();
        for (String channel : kafka.getConsumerChannels()) {
            Map<String, String> topics = topicsOf(channel);
            List<KafkaConsumer<Object, Object>> consumers;
            try {
                consumers = kafka.getConsumers(channel);
            } catch (RuntimeException e) {
                LOG.debugf("no consumer for %s yet: %s", channel, e.toString());
                continue;
            }
            for (KafkaConsumer<Object, Object> consumer : consumers) {
                Object group = consumer.configuration().get("group.id");
                Map<MetricName, ? extends Metric> metrics;
                try {
                    metrics = consumer.unwrap().metrics();
                } catch (RuntimeException e) {
                    continue;
                }
                Map<TopicPartition, Long> positions = positions(consumer);
                metrics.forEach((name, metric) -> {
                    if (!"records-lag".equals(name.name()) || !FETCH_GROUP.equals(name.group())
                            || !name.tags().containsKey("partition")) {
                        return;
                    }
                    // the client writes "." in topic names as "_" in metric tags
                    String tagged = name.tags().get("topic");
                    String topic = topics.getOrDefault(tagged, tagged);
                    TopicPartition partition;
                    try {
                        partition = new TopicPartition(topic, Integer.parseInt(name.tags().get("partition")));
                    } catch (NumberFormatException e) {
                        return;
                    }
                    PartitionLag state = new PartitionLag(partition, metric, positions.getOrDefault(partition, -1L));
                    held.add(state);
                    rows.add(MultiGauge.Row.of(Tags.of("group", String.valueOf(group), "topic", topic,
                            "partition", String.valueOf(partition.partition())), state, PartitionLag::value));
                });
            }
        }
        partitions = List.copyOf(held);
        lag.register(rows, true);
    }

    /** The consumer's fetch positions, asked on its polling thread (between two polls); none if it does not answer soon. */
    private static Map<TopicPartition, Long> positions(KafkaConsumer<Object, Object> consumer) {
        try {
            return consumer.getPositions().await().atMost(ASK_TIMEOUT);
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    /** The channel's topics by the name the client's metrics give them. */
    private Map<String, String> topicsOf(String channel) {
        String prefix = "mp.messaging.incoming." + channel + ".";
        List<String> names = config.getOptionalValue(prefix + "topics", String.class)
                .map(list -> Arrays.stream(list.split(",")).map(String::trim).toList())
                .orElseGet(() -> List.of(config.getOptionalValue(prefix + "topic", String.class).orElse(channel)));
        Map<String, String> byMetricName = new HashMap<>();
        names.forEach(topic -> byMetricName.put(topic.replace('.', '_'), topic));
        return byMetricName;
    }
}

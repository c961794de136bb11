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
 * each partition a consumer of this service is assigned has beyond the consumer's position, as the
 * Kafka consumer itself measures it at every fetch ({@code records-lag} of
 * {@code consumer-fetch-manager-metrics}). Read from the client's metric registry, which needs no
 * broker call and does not touch the polling thread; the set of partitions is refreshed every
 * {@code conduit.metrics.sample-interval}, the values are live.
 *
 * <p>The position counts the records fetched, not the ones applied: a consumer stuck on one event (e.g.
 * MongoDB away) holds at most its fetched queue (about two polls' worth) before it pauses fetching,
 * after which the lag grows with every new record.
 */
@ApplicationScoped
public class ConsumerLagMetrics {

    public static final String NAME = "conduit.consumer.lag";

    private static final Logger LOG = Logger.getLogger(ConsumerLagMetrics.class);
    private static final String FETCH_GROUP = "consumer-fetch-manager-metrics";

    private final KafkaClientService kafka;
    private final Config config;
    private MultiGauge lag;

    public ConsumerLagMetrics(KafkaClientService kafka, Config config) {
        this.kafka = kafka;
        this.config = config;
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
                metrics.forEach((name, metric) -> {
                    if (!"records-lag".equals(name.name()) || !FETCH_GROUP.equals(name.group())
                            || !name.tags().containsKey("partition")) {
                        return;
                    }
                    // the client writes "." in topic names as "_" in metric tags
                    String tagged = name.tags().get("topic");
                    rows.add(MultiGauge.Row.of(Tags.of("group", String.valueOf(group),
                                    "topic", topics.getOrDefault(tagged, tagged),
                                    "partition", name.tags().get("partition")),
                            metric, ConsumerLagMetrics::value));
                });
            }
        }
        lag.register(rows, true);
    }

    private static double value(Metric metric) {
        return metric.metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
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

package dev.conduit.support.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Histogram buckets for the timers whose percentiles matter in Prometheus ({@code histogram_quantile}
 * over {@code _bucket}): HTTP request latency, the outbox relay's send latency and the age of an event
 * when a read model applies it. A dozen fixed buckets each rather than Micrometer's ~70 of a
 * percentile histogram, to keep the series per URI and tag set few.
 */
@Singleton
public class LatencyBuckets {

    public static final String HTTP_SERVER = "http.server.requests";

    private static final Map<String, double[]> BUCKETS = Map.of(
            HTTP_SERVER, millis(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000),
            OutboxSendMetrics.NAME, millis(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000),
            ConsumedEventMetrics.APPLY_AGE, millis(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000));

    @Produces
    @Singleton
    MeterFilter latencyBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                double[] buckets = BUCKETS.get(id.getName());
                if (buckets == null) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(buckets).build().merge(config);
            }
        };
    }

    /** Bucket bounds of a timer, in its base unit (nanoseconds). */
    private static double[] millis(double... bounds) {
        return Arrays.stream(bounds).map(ms -> Duration.ofMillis(1).toNanos() * ms).toArray();
    }
}

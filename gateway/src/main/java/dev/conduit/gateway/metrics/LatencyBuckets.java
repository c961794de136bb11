package dev.conduit.gateway.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Arrays;

/**
 * Histogram buckets for {@code http.server.requests}, so p99 latency can be computed in Prometheus
 * ({@code histogram_quantile} over {@code http_server_requests_seconds_bucket}): eleven fixed
 * buckets, the same as the services' (service-support's {@code LatencyBuckets}), rather than
 * Micrometer's ~70 of a percentile histogram, to keep the series per route few.
 */
@Singleton
public class LatencyBuckets {

    private static final double[] HTTP_BUCKETS = Arrays.stream(new double[] {5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000})
            .map(ms -> Duration.ofMillis(1).toNanos() * ms).toArray();

    @Produces
    @Singleton
    MeterFilter httpLatencyBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!"http.server.requests".equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(HTTP_BUCKETS).build().merge(config);
            }
        };
    }
}

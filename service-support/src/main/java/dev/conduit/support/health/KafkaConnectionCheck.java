package dev.conduit.support.health;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka connection, answered within {@code timeout} whatever the broker does, in the health
 * group {@value #GROUP} ({@code /q/health/group/platform}): for people and dashboards, not for
 * readiness, since the outbox keeps accepting writes while Kafka is away. Quarkus' own Kafka check
 * waited for more than 30 s while the broker was down; this one never blocks a thread. It connects
 * as the channels do: every {@code kafka.*} property (bootstrap servers, and in Kubernetes SASL/SCRAM
 * over TLS) applies to its AdminClient too, so it reports what the service itself can reach.
 */
@HealthGroup(KafkaConnectionCheck.GROUP)
@ApplicationScoped
public class KafkaConnectionCheck implements AsyncHealthCheck {

    /** The health group that reports every part a service depends on, ready or not. */
    public static final String GROUP = "platform";

    static final String NAME = "Kafka connection health check";

    private final Map<String, Object> adminConfig;
    private final String bootstrapServers;
    private final Duration timeout;
    private volatile Admin admin;
    /** One broker round trip shared by every caller of one period, so a flood of checks cannot fan out. */
    private final Uni<HealthCheckResponse> cached;

    public KafkaConnectionCheck(@Identifier("default-kafka-broker") Map<String, Object> kafka,
                               @ConfigProperty(name = "conduit.health.kafka-timeout", defaultValue = "1500ms") Duration timeout,
                               @ConfigProperty(name = "conduit.health.kafka-cache", defaultValue = "1s") Duration cache) {
        this.adminConfig = adminConfig(kafka, timeout);
        this.bootstrapServers = String.valueOf(adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.timeout = timeout;
        this.cached = Uni.createFrom().deferred(this::check).memoize().forFixedDuration(cache);
    }

    /**
     * The AdminClient's settings: the service's own Kafka settings ({@code kafka.*}: address, security
     * protocol, SASL, trust store) that an AdminClient knows, with this check's client id and timeouts.
     */
    public static Map<String, Object> adminConfig(Map<String, Object> kafka, Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "readiness-check");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return cached;
    }

    private Uni<HealthCheckResponse> check() {
        int millis = (int) timeout.toMillis();
        return Uni.createFrom().completionStage(() -> admin().describeCluster(new DescribeClusterOptions().timeoutMs(millis))
                        .clusterId().toCompletionStage())
                .ifNoItem().after(timeout.plusMillis(250)).fail()
                .map(clusterId -> HealthCheckResponse.named(NAME).up().withData("bootstrap.servers", bootstrapServers).build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(NAME).down()
                        .withData("bootstrap.servers", bootstrapServers)
                        .withData("reason", e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))
                        .build());
    }

    private Admin admin() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(adminConfig);
                }
                current = admin;
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}

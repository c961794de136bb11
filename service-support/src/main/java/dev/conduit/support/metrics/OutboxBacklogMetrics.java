package dev.conduit.support.metrics;

import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import dev.conduit.support.outbox.OutboxRelay;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Date;
import java.util.List;

/**
 * The outbox backlog of every relayed collection, as gauges: {@code conduit.outbox.pending} (events
 * waiting) and {@code conduit.outbox.oldest.age} (seconds since the oldest waiting event occurred, 0
 * when none), tagged {@code collection}. A scrape reads the last sample; the collections are sampled
 * every {@code conduit.metrics.sample-interval} through the relay's sparse index of pending events,
 * so neither scrapes nor a large collection make MongoDB scan anything. The age is computed at the
 * scrape from the oldest event seen, so it keeps growing between samples while Kafka is away.
 */
@ApplicationScoped
public class OutboxBacklogMetrics {

    public static final String PENDING = "conduit.outbox.pending";
    public static final String OLDEST_AGE = "conduit.outbox.oldest.age";

    private static final Logger LOG = Logger.getLogger(OutboxBacklogMetrics.class);

    void start(@Observes StartupEvent event, Instance<OutboxRelay> declared, ReactiveMongoClient mongo,
               @ConfigProperty(name = "quarkus.mongodb.database") String database, MeterRegistry registry,
               Scheduler scheduler, @ConfigProperty(name = "conduit.metrics.sample-interval", defaultValue = "5s") Duration interval) {
        List<Backlog> backlogs = declared.stream()
                .map(relay -> new Backlog(mongo.getDatabase(database).getCollection(relay.collectionName()), registry))
                .toList();
        if (backlogs.isEmpty()) {
            return;
        }
        scheduler.newJob("outbox-backlog-metrics")
                .setInterval(interval.toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> Multi.createFrom().iterable(backlogs)
                        .onItem().transformToUniAndConcatenate(Backlog::sample).collect().last().replaceWithVoid())
                .schedule();
    }

    /** One collection's last sample. */
    static final class Backlog {

        private final ReactiveMongoCollection<Document> collection;
        private volatile long pending;
        /** When the oldest pending event occurred, in epoch milliseconds; -1 when nothing is pending. */
        private volatile long oldest = -1;

        Backlog(ReactiveMongoCollection<Document> collection, MeterRegistry registry) {
            this.collection = collection;
            String name = collection.getNamespace().getCollectionName();
            Gauge.builder(PENDING, this, b -> b.pending)
                    .description("events waiting in the outbox for Kafka's acknowledgement")
                    .tag("collection", name)
                    .strongReference(true)
                    .register(registry);
            Gauge.builder(OLDEST_AGE, this, Backlog::oldestAgeSeconds)
                    .description("age of the oldest event waiting in the outbox, 0 when none")
                    .baseUnit("seconds")
                    .tag("collection", name)
                    .strongReference(true)
                    .register(registry);
        }

        private double oldestAgeSeconds() {
            long since = oldest;
            return since < 0 ? 0 : Math.max(0, System.currentTimeMillis() - since) / 1000.0;
        }

        /** Counts the pending events; keeps the last sample when MongoDB cannot answer. */
        Uni<Void> sample() {
            return collection.aggregate(List.of(
                            // only documents with pending events are in the relay's sparse index
                            Aggregates.match(Filters.exists(OutboxRelay.PENDING + ".eventId")),
                            Aggregates.unwind("$" + OutboxRelay.PENDING),
                            Aggregates.group(null, Accumulators.sum("pending", 1),
                                    Accumulators.min("oldest", "$" + OutboxRelay.PENDING + ".occurredAt"))))
                    .collect().first()
                    .invoke(result -> {
                        if (result == null) {
                            pending = 0;
                            oldest = -1;
                        } else {
                            pending = ((Number) result.get("pending")).longValue();
                            oldest = result.get("oldest") instanceof Date date ? date.getTime() : -1;
                        }
                    })
                    .replaceWithVoid()
                    .onFailure().recoverWithItem(e -> {
                        LOG.debugf("cannot sample the outbox of %s: %s", collection.getNamespace(), e.toString());
                        return null;
                    });
        }
    }
}

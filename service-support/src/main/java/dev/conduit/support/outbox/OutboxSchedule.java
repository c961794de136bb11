package dev.conduit.support.outbox;

import dev.conduit.support.mongo.StartupIndexes;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import java.util.List;

/**
 * When every relay of the service sweeps: once at start-up (what the last process left pending),
 * every {@code conduit.outbox.sweep-interval}, and every {@code conduit.outbox.catch-up-interval}
 * when a relay failed since (Kafka was away), so held-back events go out within about a second of
 * its return. Scheduled here, from {@link OutboxConfig}, so the numbers have one home.
 */
@ApplicationScoped
public class OutboxSchedule {

    void start(@Observes StartupEvent event, Instance<OutboxRelay> declared, Scheduler scheduler, OutboxConfig config,
               StartupIndexes indexes) {
        List<OutboxRelay> relays = declared.stream().toList();
        if (relays.isEmpty()) {
            return;
        }
        relays.forEach(relay -> indexes.ensure(relay.collectionName() + " outbox", relay::createIndexes));
        relays.forEach(OutboxRelay::sweepSoon);
        scheduler.newJob("outbox-catch-up")
                .setInterval(config.catchUpInterval().toString()).setDelayed(config.catchUpInterval().toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> io.smallrye.mutiny.Multi.createFrom().iterable(relays)
                        .onItem().transformToUniAndConcatenate(OutboxRelay::sweepIfBehind).collect().last().replaceWithVoid())
                .schedule();
        scheduler.newJob("outbox-sweep")
                .setInterval(config.sweepInterval().toString()).setDelayed(config.sweepInterval().toString())
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> io.smallrye.mutiny.Multi.createFrom().iterable(relays)
                        .onItem().transformToUniAndConcatenate(OutboxRelay::sweep).collect().last().replaceWithVoid())
                .schedule();
    }
}

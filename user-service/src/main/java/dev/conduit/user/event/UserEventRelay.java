package dev.conduit.user.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.support.outbox.OutboxRelay;
import dev.conduit.user.config.UserConfig;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Relays user events from the {@code users} documents' outbox to the {@code conduit.users} topic:
 * right after each write, and in a sweep at start-up and every few seconds for whatever a crash
 * or a Kafka outage left behind.
 */
@ApplicationScoped
public class UserEventRelay {

    private final OutboxRelay relay;

    public UserEventRelay(ReactiveMongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database,
                          @Channel("user-events") MutinyEmitter<String> emitter, ObjectMapper json, UserConfig config) {
        this.relay = new OutboxRelay(mongo.getDatabase(database).getCollection("users"), emitter, json, config.outboxLease());
    }

    /** Starts relaying the events {@code userId} has pending; the caller does not wait for Kafka. */
    public void publishSoon(ObjectId userId) {
        relay.publishSoon(userId);
    }

    void onStart(@Observes StartupEvent event) {
        relay.sweepSoon();
    }

    /** Events held back by a Kafka outage go out within a second of its end. */
    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> catchUp() {
        return relay.sweepIfBehind();
    }

    @Scheduled(every = "${conduit.user.outbox-sweep-interval:5s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return relay.sweep();
    }
}

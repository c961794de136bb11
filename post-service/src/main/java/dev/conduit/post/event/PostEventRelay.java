package dev.conduit.post.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.post.config.PostConfig;
import dev.conduit.post.repository.ArticleRepository;
import dev.conduit.support.outbox.OutboxRelay;
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
 * Relays article events from the {@code posts} documents' outbox to {@code conduit.posts}: right
 * after each write, and in a sweep at start-up and periodically, which also purges the tombstones
 * of deleted articles once their {@code ArticleDeleted} is out.
 */
@ApplicationScoped
public class PostEventRelay {

    private final OutboxRelay relay;
    private final ArticleRepository articles;

    public PostEventRelay(ReactiveMongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database,
                          @Channel("post-events") MutinyEmitter<String> emitter, ObjectMapper json, PostConfig config,
                          ArticleRepository articles) {
        this.relay = new OutboxRelay(mongo.getDatabase(database).getCollection("posts"), emitter, json, config.outboxLease());
        this.articles = articles;
    }

    public void publishSoon(ObjectId articleId) {
        relay.publishSoon(articleId);
    }

    void onStart(@Observes StartupEvent event) {
        relay.sweepSoon();
    }

    /** Events held back by a Kafka outage go out within a second of its end. */
    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> catchUp() {
        return relay.sweepIfBehind();
    }

    @Scheduled(every = "${conduit.post.outbox-sweep-interval:5s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return relay.sweep().chain(() -> articles.purgeTombstones()).replaceWithVoid();
    }
}

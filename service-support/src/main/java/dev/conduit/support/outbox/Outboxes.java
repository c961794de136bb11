package dev.conduit.support.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes the outbox relay of one aggregate collection. A service declares only which collection
 * holds its outbox and which outgoing channel (and so which topic) it goes to:
 *
 * <pre>{@code
 * @Produces @Singleton
 * OutboxRelay posts(Outboxes outboxes, @Channel("posts-out") MutinyEmitter<String> out) {
 *     return outboxes.relay("posts", out);
 * }
 * }</pre>
 *
 * {@link OutboxSchedule} then sweeps it at start-up and periodically.
 */
@ApplicationScoped
public class Outboxes {

    private final ReactiveMongoClient mongo;
    private final String database;
    private final ObjectMapper json;
    private final OutboxConfig config;

    public Outboxes(ReactiveMongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database,
                    ObjectMapper json, OutboxConfig config) {
        this.mongo = mongo;
        this.database = database;
        this.json = json;
        this.config = config;
    }

    /** The relay of the outbox kept in the documents of {@code collection}, publishing to {@code out}. */
    public OutboxRelay relay(String collection, MutinyEmitter<String> out) {
        return new OutboxRelay(mongo.getDatabase(database).getCollection(collection), out, json, config.lease());
    }
}

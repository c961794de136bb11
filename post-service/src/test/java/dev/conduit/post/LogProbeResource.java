package dev.conduit.post;

import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Test-only endpoint: logs a line before and one after a MongoDB round trip, for RequestIdLoggingTest. */
@Path("/test/log-probe")
public class LogProbeResource {

    static final Logger LOG = Logger.getLogger(LogProbeResource.class);

    private final ReactiveMongoClient mongo;
    private final String database;

    public LogProbeResource(ReactiveMongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
        this.mongo = mongo;
        this.database = database;
    }

    @GET
    public Uni<String> probe() {
        LOG.info("log probe before MongoDB");
        return mongo.getDatabase(database).getCollection("posts").countDocuments()
                .map(count -> {
                    LOG.info("log probe after MongoDB");
                    return "ok";
                });
    }
}

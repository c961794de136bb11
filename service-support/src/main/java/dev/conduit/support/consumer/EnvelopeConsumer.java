package dev.conduit.support.consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import dev.conduit.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Function;

/**
 * How every read-model consumer takes a record: parse the envelope, apply it, and let the
 * returned Uni decide the record's fate. Applied: acknowledged. Not an envelope, or not
 * applicable: failed, so the channel's dead-letter strategy parks it and consumption goes on.
 * MongoDB unreachable: retried with back-off instead, since nothing is wrong with the event and
 * parking it would lose it from the read model.
 */
@ApplicationScoped
public class EnvelopeConsumer {

    private static final Logger LOG = Logger.getLogger(EnvelopeConsumer.class);

    private final ObjectMapper json;
    private final Duration maxBackoff;

    public EnvelopeConsumer(ObjectMapper json,
                            @ConfigProperty(name = "conduit.consumer.max-backoff", defaultValue = "10s") Duration maxBackoff) {
        this.json = json;
        this.maxBackoff = maxBackoff;
    }

    public Uni<Void> consume(String record, Function<EventEnvelope, Uni<Void>> apply) {
        return Uni.createFrom().deferred(() -> apply.apply(parse(record)))
                .onFailure(EnvelopeConsumer::isTransient).invoke(e -> LOG.warnf("cannot apply an event now, will retry: %s", e.toString()))
                .onFailure(EnvelopeConsumer::isTransient).retry().withBackOff(Duration.ofMillis(200), maxBackoff).indefinitely()
                .onFailure().invoke(e -> LOG.warnf("event sent to the dead-letter topic: %s", e.toString()));
    }

    private EventEnvelope parse(String record) {
        if (record == null) {
            throw new IllegalArgumentException("record without a value");
        }
        try {
            return json.readValue(record, EventEnvelope.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an event envelope: " + e.getOriginalMessage(), e);
        }
    }

    private static boolean isTransient(Throwable e) {
        return e instanceof MongoTimeoutException || e instanceof MongoSocketException
                || e instanceof MongoNotPrimaryException || e instanceof MongoNodeIsRecoveringException
                || e instanceof MongoConnectionPoolClearedException;
    }
}

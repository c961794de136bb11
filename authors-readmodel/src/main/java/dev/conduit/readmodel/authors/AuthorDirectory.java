package dev.conduit.readmodel.authors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import dev.conduit.events.EventEnvelope;
import dev.conduit.events.user.UserCredentialsChanged;
import dev.conduit.events.user.UserFollowed;
import dev.conduit.events.user.UserProfileChanged;
import dev.conduit.events.user.UserRegistered;
import dev.conduit.events.user.UserUnfollowed;
import dev.conduit.support.mongo.StartupIndexes;
import dev.conduit.support.security.Caller;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.conversions.Bson;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The user read model of a consuming service: applies user events idempotently and in version
 * order, and answers "who is this author", "whom does this caller follow" and "since when are this
 * user's tokens valid" without ever calling user-service.
 */
@ApplicationScoped
public class AuthorDirectory {

    private static final Logger LOG = Logger.getLogger(AuthorDirectory.class);

    private final AuthorRepository authors;
    private final AuthorCache cache;
    private final ObjectMapper json;

    public AuthorDirectory(AuthorRepository authors, AuthorCache cache, ObjectMapper json) {
        this.authors = authors;
        this.cache = cache;
        this.json = json;
    }

    void createIndexes(@Observes StartupEvent event, StartupIndexes indexes) {
        indexes.ensure("authors", authors::createIndexes);
    }

    /** The public view of an author; bio and image may be null. */
    public record Author(String id, String username, String bio, String image) {
    }

    /**
     * Authors by id. One missing from the read model (its events not consumed yet) is filled from
     * the caller's token when it is the caller, else from {@code fallbackNames} (what the owning
     * document recorded); read-your-own-writes without asking user-service. Answered from the
     * {@link AuthorCache} where it can; an author not in the read model is looked up again next time.
     */
    public Uni<Map<String, Author>> byIds(Collection<String> ids, Caller caller, Map<String, String> fallbackNames) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return cache.get(Set.copyOf(ids)).map(found -> {
            Map<String, Author> result = new HashMap<>();
            for (AuthorDocument a : found.values()) {
                if (a.username != null) {
                    result.put(a.id, new Author(a.id, a.username, a.bio, a.image));
                }
            }
            for (String id : ids) {
                if (!result.containsKey(id)) {
                    String name = caller != null && id.equals(caller.id()) ? caller.username() : fallbackNames.get(id);
                    result.put(id, new Author(id, name, null, null));
                }
            }
            return result;
        });
    }

    /** The id of the user now called {@code username}, if the read model knows one. */
    public Uni<Optional<String>> idOf(String username) {
        return authors.findByUsername(username).map(a -> Optional.ofNullable(a).map(found -> found.id));
    }

    /** Whom {@code userId} follows (empty when unknown); from the {@link AuthorCache} where it can. */
    public Uni<List<String>> followingOf(String userId) {
        return cache.get(userId).map(a -> a == null ? List.of() : List.copyOf(a.following));
    }

    /**
     * Applies one event from {@code conduit.users}. Duplicates and events older than what is held
     * change nothing; types this version does not know are skipped, so producers may add types.
     * A malformed event fails, and the consumer sends it to its dead-letter topic. After the write
     * this instance's cached document of the user is evicted too: the instance's reader of the topic
     * evicted it when the record arrived, and this makes sure, whatever that reader's timing, that
     * nothing older than the read model is answered here once the event is applied.
     */
    public Uni<Void> apply(EventEnvelope event) {
        long version = event.aggregateVersion();
        String id = event.aggregateId();
        return write(event, id, version).invoke(() -> cache.changed(id, version));
    }

    private Uni<Void> write(EventEnvelope event, String id, long version) {
        try {
            return switch (event.type()) {
                case UserRegistered.TYPE -> {
                    UserRegistered e = json.treeToValue(event.data(), UserRegistered.class);
                    yield profile(id, version, require(e.username(), "username"), e.bio(), e.image());
                }
                case UserProfileChanged.TYPE -> {
                    UserProfileChanged e = json.treeToValue(event.data(), UserProfileChanged.class);
                    yield profile(id, version, require(e.username(), "username"), e.bio(), e.image());
                }
                case UserFollowed.TYPE -> {
                    UserFollowed e = json.treeToValue(event.data(), UserFollowed.class);
                    yield upsertIfNewer(id, version, Updates.addToSet("following", require(e.followeeId(), "followeeId")));
                }
                case UserUnfollowed.TYPE -> {
                    UserUnfollowed e = json.treeToValue(event.data(), UserUnfollowed.class);
                    yield upsertIfNewer(id, version, Updates.pull("following", require(e.followeeId(), "followeeId")));
                }
                case UserCredentialsChanged.TYPE -> {
                    UserCredentialsChanged e = json.treeToValue(event.data(), UserCredentialsChanged.class);
                    if (e.tokensValidAfter() == null) {
                        throw new IllegalArgumentException("user event without tokensValidAfter");
                    }
                    yield upsertIfNewer(id, version, Updates.set("tokensValidAfter", e.tokensValidAfter()));
                }
                default -> {
                    LOG.debugf("skipping user event of unknown type %s", event.type());
                    yield Uni.createFrom().voidItem();
                }
            };
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed " + event.type() + " " + event.eventId() + ": " + e.getMessage(), e);
        }
    }

    private Uni<Void> profile(String id, long version, String username, String bio, String image) {
        return upsertIfNewer(id, version, Updates.combine(
                Updates.set("username", username),
                Updates.set("usernameKey", username.toLowerCase(Locale.ROOT)),
                Updates.set("bio", bio),
                Updates.set("image", image)));
    }

    /**
     * One atomic conditional upsert: applies only when the held version is older. When a newer one
     * is held the filter misses, the upsert collides with the existing id, and that is the no-op.
     */
    private Uni<Void> upsertIfNewer(String id, long version, Bson change) {
        return authors.mongoCollection()
                .updateOne(Filters.and(Filters.eq("_id", id), Filters.lt("version", version)),
                        Updates.combine(change, Updates.set("version", version)), new UpdateOptions().upsert(true))
                .replaceWithVoid()
                .onFailure(AuthorDirectory::isDuplicateKey).recoverWithNull();
    }

    private static boolean isDuplicateKey(Throwable e) {
        return e instanceof MongoWriteException w && w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }

    private static String require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("user event without " + field);
        }
        return value;
    }
}

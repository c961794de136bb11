package dev.conduit.user;

import dev.conduit.support.outbox.PendingEvent;
import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A user account as stored in user-service's {@code users} collection. {@code emailKey} and
 * {@code usernameKey} are the lower-cased values behind the unique indexes, so uniqueness is
 * case-insensitive. Follows are kept here as the ids this user follows. Every change bumps
 * {@code version} (optimistic concurrency, and the events' aggregate version) and appends its event
 * to {@code pendingEvents} in the same update. {@code tokensValidAfter} is the cut-off of the last
 * password change: tokens issued before it are refused.
 */
@MongoEntity(collection = "users")
public class UserDocument {

    public ObjectId id;
    public String username;
    public String usernameKey;
    public String email;
    public String emailKey;
    public String passwordHash;
    public String bio;
    public String image;
    public List<ObjectId> following = new ArrayList<>();
    public Instant tokensValidAfter;
    public long version;
    public List<PendingEvent> pendingEvents = new ArrayList<>();
    public Instant createdAt;
    public Instant updatedAt;

    public static String key(String value) {
        return value == null ? null : value.toLowerCase(java.util.Locale.ROOT);
    }
}

package dev.conduit.post;

import dev.conduit.support.outbox.PendingEvent;
import dev.conduit.support.outbox.RelayLease;
import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An article ("post") in post-service's {@code posts} collection. Who favorites it lives in the
 * {@code favorites} collection; the article keeps only the count, set from it with each change. {@code authorUsername} is the author's name when the article was written, from the
 * token: the fallback until the user read model knows the author. A deleted article stays as a
 * tombstone ({@code deleted}, slug released) until its {@code ArticleDeleted} event is out.
 */
@MongoEntity(collection = "posts")
public class ArticleDocument {

    public ObjectId id;
    public String slug;
    public String title;
    public String description;
    public String body;
    public List<String> tagList = new ArrayList<>();
    public String authorId;
    public String authorUsername;
    public String authorUsernameKey;
    public long favoritesCount;
    public boolean deleted;
    public Instant createdAt;
    public Instant updatedAt;
    public long version;
    public List<PendingEvent> pendingEvents = new ArrayList<>();
    /** Set only by the first insert (the outbox relay's, so it sends the first event without a lease write of its own). */
    public RelayLease relayLease;
}

package dev.conduit.comment;

import dev.conduit.support.outbox.PendingEvent;
import dev.conduit.support.outbox.RelayLease;
import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A comment as stored in comment-service's {@code comments} collection. The id is an integer from
 * the service's own sequence (the RealWorld contract wants integers). Comments hang off the article
 * id, never the slug, so a renamed article keeps them. {@code authorUsername} is the author's name
 * from the token at writing time: the fallback until the user read model knows the author.
 *
 * <p>Every change bumps {@code version} and appends its event to {@code pendingEvents} in the same
 * update. A deleted comment stays as a tombstone ({@code deleted}) only until its
 * {@code CommentDeleted} event is out, then it is removed.
 */
@MongoEntity(collection = "comments")
public class CommentDocument {

    @BsonId
    public Long id;
    public String articleId;
    public String authorId;
    public String authorUsername;
    public String body;
    public boolean deleted;
    public Instant createdAt;
    public Instant updatedAt;
    public long version;
    public List<PendingEvent> pendingEvents = new ArrayList<>();
    /** Set only by the first insert (the outbox relay's, so it sends the first event without a lease write of its own). */
    public RelayLease relayLease;
}

package dev.conduit.support.json;

import dev.conduit.events.EventEnvelope;
import dev.conduit.events.comment.CommentAdded;
import dev.conduit.events.comment.CommentDeleted;
import dev.conduit.events.post.ArticleDeleted;
import dev.conduit.events.post.ArticleFavorited;
import dev.conduit.events.post.ArticlePublished;
import dev.conduit.events.post.ArticleUnfavorited;
import dev.conduit.events.post.ArticleUpdated;
import dev.conduit.events.user.UserCredentialsChanged;
import dev.conduit.events.user.UserFollowed;
import dev.conduit.events.user.UserProfileChanged;
import dev.conduit.events.user.UserRegistered;
import dev.conduit.events.user.UserUnfollowed;
import dev.conduit.support.outbox.OutboxDocument;
import dev.conduit.support.outbox.PendingEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types serialised with Jackson or the MongoDB POJO codec outside REST resources (events, the
 * outbox entry), which a native image only knows when registered for reflection.
 */
@RegisterForReflection(targets = {EventEnvelope.class, UserRegistered.class, UserProfileChanged.class, UserFollowed.class,
        UserUnfollowed.class, UserCredentialsChanged.class, ArticlePublished.class, ArticleUpdated.class, ArticleDeleted.class, ArticleFavorited.class,
        ArticleUnfavorited.class, CommentAdded.class, CommentDeleted.class, PendingEvent.class, OutboxDocument.class})
public final class EventTypesForNative {

    private EventTypesForNative() {
    }
}

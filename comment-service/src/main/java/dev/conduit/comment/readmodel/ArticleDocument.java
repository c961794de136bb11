package dev.conduit.comment.readmodel;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;

import java.time.Instant;

/**
 * What comment-service knows of an article (collection {@code articles}), from post-service's
 * events or, for an article whose {@code ArticlePublished} has not arrived yet, from one question to
 * post-service. {@code version} is the article aggregate version last applied; a deleted article
 * stays as a tombstone so that a late or replayed event cannot bring it back.
 * <p>
 * {@code commentsVersion} is not the article's: comment-service counts its own comment writes on
 * the article with it ({@code $inc} after each), so that a cached page of comments can be checked
 * with the one query that finds the article anyway ({@code CommentPages}). Events only {@code $set}
 * their own fields and never reset it.
 */
@MongoEntity(collection = "articles")
public class ArticleDocument {

    @BsonId
    public String id;
    public String slug;
    public String authorId;
    public boolean deleted;
    public long version;
    /** When the state held was current at post-service: picks the newest when two live articles claim one slug. */
    public Instant changedAt;
    /** Comment writes on this article so far (absent, 0, until the first). */
    public long commentsVersion;
}

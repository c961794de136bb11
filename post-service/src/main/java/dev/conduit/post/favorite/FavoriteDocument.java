package dev.conduit.post.favorite;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;

import java.time.Instant;

/**
 * One user's favorite of one article, in post-service's {@code favorites} collection: the relation
 * lives here, one small document each, so a popular article's document keeps only its counter.
 * {@code _id} is {@code articleId:userId}, so a relation exists once. {@code pending} is set by the
 * change and removed once the article's counter and event reflect it (see {@link Favorites}).
 */
@MongoEntity(collection = "favorites")
public class FavoriteDocument {

    @BsonId
    public String id;
    public String articleId;
    public String userId;
    public boolean active;
    public Instant changedAt;
    /** Present (true) until the change has been announced on the article; a sparse index finds the stragglers. */
    public Boolean pending;

    public static String id(String articleId, String userId) {
        return articleId + ":" + userId;
    }
}

package dev.conduit.readmodel.authors;

import io.quarkus.mongodb.panache.common.MongoEntity;
import org.bson.codecs.pojo.annotations.BsonId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a service knows of a user from user events: the public profile, whom the user follows and
 * since when the user's tokens are valid ({@code tokensValidAfter}, null until a password change).
 * A private read model in the consuming service's own database; {@code version} is the user
 * aggregate version last applied.
 */
@MongoEntity(collection = "authors")
public class AuthorDocument {

    @BsonId
    public String id;
    public String username;
    public String usernameKey;
    public String bio;
    public String image;
    public List<String> following = new ArrayList<>();
    public Instant tokensValidAfter;
    public long version;
}

package dev.conduit.post;

import dev.conduit.events.Topics;
import dev.conduit.localstack.testing.TestEvents;
import dev.conduit.localstack.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.bson.types.ObjectId;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Test users: an id, a name and a token as user-service would sign it, plus their user events. */
final class Authors {

    private Authors() {
    }

    record Author(String id, String username) {
        String auth() {
            return TestTokens.header(id, username);
        }
    }

    /** A user whose registration event has not reached post-service (nothing published). */
    static Author unannounced() {
        return new Author(new ObjectId().toHexString(), "u_" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A user registered on the broker (version 1). */
    static Author registered() {
        Author a = unannounced();
        userEvent(a.id(), 1, "UserRegistered", "{\"userId\":\"" + a.id() + "\",\"username\":\"" + a.username()
                + "\",\"bio\":null,\"image\":null}");
        return a;
    }

    static void userEvent(String userId, long version, String type, String data) {
        TestEvents.send(Topics.USERS, userId, TestEvents.envelope(type, userId, version, data));
    }

    static void follow(Author follower, Author followee, long version) {
        userEvent(follower.id(), version, "UserFollowed", "{\"followerId\":\"" + follower.id() + "\",\"followeeId\":\""
                + followee.id() + "\"}");
    }

    static void unfollow(Author follower, Author followee, long version) {
        userEvent(follower.id(), version, "UserUnfollowed", "{\"followerId\":\"" + follower.id() + "\",\"followeeId\":\""
                + followee.id() + "\"}");
    }

    /** Publishes an article as {@code author}; returns its slug. */
    static String publish(Author author, String title, List<String> tags) {
        return create(author, Map.of("title", title, "description", "about " + title, "body", "The body of " + title,
                "tagList", tags)).statusCode(201).extract().path("article.slug");
    }

    static ValidatableResponse create(Author author, Map<String, Object> article) {
        return given().header("Authorization", author.auth()).contentType(ContentType.JSON)
                .body(Map.of("article", article)).post("/articles").then();
    }
}

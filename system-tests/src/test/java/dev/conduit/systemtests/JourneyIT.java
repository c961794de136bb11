package dev.conduit.systemtests;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The whole RealWorld journey of two users, through the gateway, against the packaged services. */
class JourneyIT {

    private static final Duration EVENTUALLY = Duration.ofSeconds(30);
    private static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    record User(String username, String email, String token) {
        RequestSpecification as() {
            return given(SharedPlatform.api()).header("Authorization", "Token " + token).contentType(ContentType.JSON);
        }
    }

    static User register(String prefix) {
        String username = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        String email = username + "@example.com";
        String token = given(SharedPlatform.api()).contentType(ContentType.JSON)
                .body(Map.of("user", Map.of("username", username, "email", email, "password", "password123")))
                .post("/users").then().statusCode(201)
                .body("user.username", equalTo(username)).body("user.bio", nullValue())
                .extract().path("user.token");
        return new User(username, email, token);
    }

    @Test
    void twoUsersWalkTheWholeContract() {
        User jake = register("jake");
        User anna = register("anna");

        String token = given(SharedPlatform.api()).contentType(ContentType.JSON)
                .body(Map.of("user", Map.of("email", jake.email(), "password", "password123")))
                .post("/users/login").then().statusCode(200).body("user.email", equalTo(jake.email()))
                .extract().path("user.token");
        jake = new User(jake.username(), jake.email(), token);
        jake.as().get("/user").then().statusCode(200).body("user.username", equalTo(jake.username()));
        jake.as().body(Map.of("user", Map.of("bio", "I work at statefarm", "image", "https://i.example/jake.jpg")))
                .put("/user").then().statusCode(200).body("user.bio", equalTo("I work at statefarm"));
        given(SharedPlatform.api()).get("/profiles/" + jake.username()).then().statusCode(200)
                .body("profile.bio", equalTo("I work at statefarm")).body("profile.following", equalTo(false));

        anna.as().post("/profiles/" + jake.username() + "/follow").then().statusCode(200).body("profile.following", equalTo(true));

        String tag = "journey" + UUID.randomUUID().toString().substring(0, 6);
        String slug = jake.as().body(Map.of("article", Map.of("title", "How to train your dragon", "description", "Ever wonder how?",
                        "body", "You have to believe", "tagList", List.of(tag, "dragons"))))
                .post("/articles").then().statusCode(201)
                .body("article.author.username", equalTo(jake.username()))
                .body("article.tagList", contains("dragons", tag))
                .body("article.createdAt", matchesPattern(TIMESTAMP))
                .extract().path("article.slug");

        given(SharedPlatform.api()).queryParam("tag", tag).get("/articles").then().statusCode(200)
                .body("articlesCount", equalTo(1)).body("articles[0].slug", equalTo(slug));
        given(SharedPlatform.api()).queryParam("author", jake.username()).get("/articles").then()
                .body("articles.slug", hasItem(slug));
        User annaFinal = anna;
        eventually(() -> given(SharedPlatform.api()).header("Authorization", "Token " + annaFinal.token())
                .get("/articles/feed").then().extract().<List<String>>path("articles.slug").contains(slug));
        eventually(() -> Boolean.TRUE.equals(given(SharedPlatform.api()).header("Authorization", "Token " + annaFinal.token())
                .get("/articles/" + slug).then().extract().path("article.author.following")));
        given(SharedPlatform.api()).get("/articles/" + slug).then()
                .body("article.author.bio", equalTo("I work at statefarm"));

        anna.as().post("/articles/" + slug + "/favorite").then().statusCode(200)
                .body("article.favorited", equalTo(true)).body("article.favoritesCount", equalTo(1));
        given(SharedPlatform.api()).queryParam("favorited", anna.username()).get("/articles").then()
                .body("articles.slug", contains(slug));
        anna.as().delete("/articles/" + slug + "/favorite").then().statusCode(200).body("article.favoritesCount", equalTo(0));

        int commentId = anna.as().body(Map.of("comment", Map.of("body", "Thank you so much!")))
                .post("/articles/" + slug + "/comments").then().statusCode(200)
                .body("comment.body", equalTo("Thank you so much!"))
                .body("comment.author.username", equalTo(anna.username()))
                .body("comment.createdAt", matchesPattern(TIMESTAMP))
                .extract().path("comment.id");
        int second = jake.as().body(Map.of("comment", Map.of("body", "You're welcome")))
                .post("/articles/" + slug + "/comments").then().statusCode(200).extract().path("comment.id");
        given(SharedPlatform.api()).get("/articles/" + slug + "/comments").then().statusCode(200)
                .body("comments.id", hasItems(commentId, second));
        jake.as().delete("/articles/" + slug + "/comments/" + commentId).then().statusCode(403);
        anna.as().delete("/articles/" + slug + "/comments/" + commentId).then().statusCode(204);
        given(SharedPlatform.api()).get("/articles/" + slug + "/comments").then().body("comments.id", contains(second));

        anna.as().delete("/profiles/" + jake.username() + "/follow").then().statusCode(200).body("profile.following", equalTo(false));
        eventually(() -> given(SharedPlatform.api()).header("Authorization", "Token " + annaFinal.token())
                .get("/articles/feed").then().extract().<Integer>path("articlesCount") == 0);

        given(SharedPlatform.api()).get("/tags").then().statusCode(200).body("tags", hasItems(tag, "dragons"));

        anna.as().delete("/articles/" + slug).then().statusCode(403);
        jake.as().delete("/articles/" + slug).then().statusCode(204);
        given(SharedPlatform.api()).get("/articles/" + slug).then().statusCode(404).body("errors.body", notNullValue());
        eventually(() -> given(SharedPlatform.api()).get("/articles/" + slug + "/comments").statusCode() == 404);
        given(SharedPlatform.api()).queryParam("tag", tag).get("/articles").then().body("articles", empty());
    }

    @Test
    void aNewUserPublishingAtOnceIsTheRightAuthorOnTheFirstRead() {
        User fresh = register("fresh");
        String slug = fresh.as().body(Map.of("article", Map.of("title", "First post", "description", "d", "body", "b")))
                .post("/articles").then().statusCode(201)
                .body("article.author.username", equalTo(fresh.username()))
                .extract().path("article.slug");
        given(SharedPlatform.api()).get("/articles/" + slug).then().statusCode(200)
                .body("article.author.username", equalTo(fresh.username()));
        fresh.as().body(Map.of("comment", Map.of("body", "first!"))).post("/articles/" + slug + "/comments")
                .then().statusCode(200).body("comment.author.username", equalTo(fresh.username()));
    }

    static void eventually(BooleanSupplier condition) {
        await().atMost(EVENTUALLY).until(condition::getAsBoolean);
    }
}

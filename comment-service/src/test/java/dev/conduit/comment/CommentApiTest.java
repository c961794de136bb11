package dev.conduit.comment;

import dev.conduit.comment.Fixtures.User;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.conduit.comment.Fixtures.WAIT;
import static dev.conduit.comment.Fixtures.comment;
import static dev.conduit.comment.Fixtures.commentId;
import static dev.conduit.comment.Fixtures.publishedArticle;
import static dev.conduit.comment.Fixtures.unique;
import static dev.conduit.comment.Fixtures.user;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three endpoints of the contract: every success and every error, with the bodies. */
@QuarkusTest
@WithTestResource(CommentTestResource.class)
class CommentApiTest {

    static final String MILLIS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aSignedInUserCommentsAndAnyoneReadsThemOldestFirst() {
        User jake = user();
        User anna = user();
        String slug = unique("how-to-train-your-dragon");
        publishedArticle(slug, anna.id());
        given().get("/articles/" + slug + "/comments").then().statusCode(200).body("comments.size()", equalTo(0));

        long first = comment(jake, slug, "Thank you so much!").statusCode(200)
                .body("comment.id", greaterThan(0))
                .body("comment.body", equalTo("Thank you so much!"))
                .body("comment.createdAt", matchesPattern(MILLIS))
                .body("comment.updatedAt", matchesPattern(MILLIS))
                // the read model has not heard of jake: the token names him at once
                .body("comment.author.username", equalTo(jake.username()))
                .body("comment.author", hasKey("bio")).body("comment.author.bio", nullValue())
                .body("comment.author", hasKey("image")).body("comment.author.image", nullValue())
                .body("comment.author.following", equalTo(false))
                .extract().jsonPath().getLong("comment.id");
        long second = commentId(anna, slug, "Glad you liked it");
        assertTrue(second > first, "ids rise: " + first + ", " + second);

        given().get("/articles/" + slug + "/comments").then().statusCode(200)
                .body("comments.id", contains((int) first, (int) second))
                .body("comments.body", contains("Thank you so much!", "Glad you liked it"))
                .body("comments.author.username", contains(jake.username(), anna.username()))
                .body("comments.author.following", contains(false, false))
                .body("comments[0].createdAt", matchesPattern(MILLIS));
        given().header("Authorization", anna.auth()).get("/articles/" + slug + "/comments").then().statusCode(200)
                .body("comments.size()", equalTo(2));
        given().header("Authorization", "Bearer " + anna.token()).get("/articles/" + slug + "/comments").then().statusCode(200)
                .body("comments.size()", equalTo(2));
        // a token is optional here, but one that is sent must be valid
        given().header("Authorization", "Token garbage").get("/articles/" + slug + "/comments").then().statusCode(401)
                .body("errors.body", contains("token is missing, invalid or expired"));
    }

    @Test
    void authorProfilesAndFollowingComeFromUserEvents() {
        User jake = user();
        User anna = user();
        String slug = unique("profiles");
        publishedArticle(slug, anna.id());
        Fixtures.userEvent(jake.id(), "UserRegistered", 1, profile(jake, "I work at statefarm", "https://i.example.com/jake.png"));
        Fixtures.userEvent(anna.id(), "UserRegistered", 1, profile(anna, null, null));
        Fixtures.userEvent(anna.id(), "UserFollowed", 2, Map.of("followerId", anna.id(), "followeeId", jake.id()));
        commentId(jake, slug, "first");

        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(given().header("Authorization", anna.auth())
                .get("/articles/" + slug + "/comments").then().extract().path("comments[0].author.following")));
        given().header("Authorization", anna.auth()).get("/articles/" + slug + "/comments").then().statusCode(200)
                .body("comments[0].author.username", equalTo(jake.username()))
                .body("comments[0].author.bio", equalTo("I work at statefarm"))
                .body("comments[0].author.image", equalTo("https://i.example.com/jake.png"))
                .body("comments[0].author.following", equalTo(true));
        given().get("/articles/" + slug + "/comments").then()
                .body("comments[0].author.following", equalTo(false));
        given().header("Authorization", jake.auth()).get("/articles/" + slug + "/comments").then()
                .body("comments[0].author.following", equalTo(false));

        Fixtures.userEvent(jake.id(), "UserProfileChanged", 2, profile(jake, "retired", null));
        await("a profile change shows on old comments").atMost(WAIT)
                .until(() -> "retired".equals(given().get("/articles/" + slug + "/comments")
                .then().extract().path("comments[0].author.bio")));
    }

    @Test
    void postingNeedsAValidTokenAndABodyOfOneToTenThousandCharacters() {
        User jake = user();
        String slug = unique("rules");
        publishedArticle(slug, jake.id());
        String path = "/articles/" + slug + "/comments";

        given().contentType(ContentType.JSON).body(Map.of("comment", Map.of("body", "hi"))).post(path)
                .then().statusCode(401).body("errors.body", contains("token is missing, invalid or expired"));
        given().header("Authorization", "Token garbage").contentType(ContentType.JSON)
                .body(Map.of("comment", Map.of("body", "hi"))).post(path)
                .then().statusCode(401).body("errors.body.size()", equalTo(1));
        // who calls is checked before what they send
        given().contentType(ContentType.JSON).body(Map.of("comment", Map.of("body", ""))).post(path)
                .then().statusCode(401);

        comment(jake, slug, "").statusCode(422).body("errors.body", contains("body can't be blank"));
        comment(jake, slug, "   \n ").statusCode(422).body("errors.body", contains("body can't be blank"));
        comment(jake, slug, "x".repeat(10_001)).statusCode(422)
                .body("errors.body", contains("body is too long (maximum is 10000 characters)"));
        comment(jake, slug, "x".repeat(10_000)).statusCode(200).body("comment.body.length()", equalTo(10_000));
        send(jake, path, Map.of("comment", Map.of())).statusCode(422).body("errors.body", contains("body can't be blank"));
        send(jake, path, Map.of("article", Map.of("body", "hi"))).statusCode(422).body("errors.body", contains("comment is required"));
        send(jake, path, Map.of("comment", Map.of("body", 42))).statusCode(422).body("errors.body", contains("body has the wrong type"));
        send(jake, path, Map.of("comment", "hi")).statusCode(422).body("errors.body", contains("comment has the wrong type"));
        given().header("Authorization", jake.auth()).contentType(ContentType.JSON).body("{\"comment\":{\"body\":").post(path)
                .then().statusCode(400).body("errors.body", contains("body is not valid JSON"));
        Map<String, Object> extra = new HashMap<>(Map.of("body", "unknown fields are ignored", "color", "red"));
        send(jake, path, Map.of("comment", extra)).statusCode(200).body("comment.body", equalTo("unknown fields are ignored"));
        given().header("Authorization", "Bearer " + jake.token()).contentType(ContentType.JSON)
                .body(Map.of("comment", Map.of("body", "bearer works too"))).post(path).then().statusCode(200);

        given().get(path).then().statusCode(200).body("comments.size()", equalTo(3));
    }

    @Test
    void anArticleNobodyKnowsIs404OnEveryEndpoint() {
        User jake = user();
        String path = "/articles/" + unique("no-such-article") + "/comments";
        given().get(path).then().statusCode(404).body("errors.body", contains("article not found"));
        given().header("Authorization", jake.auth()).get(path).then().statusCode(404);
        send(jake, path, Map.of("comment", Map.of("body", "hello?"))).statusCode(404).body("errors.body", contains("article not found"));
        given().header("Authorization", jake.auth()).delete(path + "/1").then().statusCode(404)
                .body("errors.body", contains("article not found"));
    }

    @Test
    void onlyTheAuthorDeletesAComment() {
        User jake = user();
        User anna = user();
        String slug = unique("deleting");
        publishedArticle(slug, anna.id());
        long id = commentId(jake, slug, "mine");
        long kept = commentId(anna, slug, "hers");
        String path = "/articles/" + slug + "/comments/" + id;

        given().header("Authorization", anna.auth()).delete(path).then().statusCode(403)
                .body("errors.body", contains("only the author may delete this comment"));
        given().delete(path).then().statusCode(401).body("errors.body", contains("token is missing, invalid or expired"));
        given().header("Authorization", "Token garbage").delete(path).then().statusCode(401);
        given().get("/articles/" + slug + "/comments").then().body("comments.id", contains((int) id, (int) kept));

        given().header("Authorization", jake.auth()).delete(path).then().statusCode(204).body(emptyString());
        given().get("/articles/" + slug + "/comments").then().statusCode(200).body("comments.id", contains((int) kept));
        given().header("Authorization", jake.auth()).delete(path).then().statusCode(404)
                .body("errors.body", contains("comment not found"));
    }

    @Test
    void anIdThatNamesNoCommentOfThisArticleIs404() {
        User jake = user();
        String slug = unique("mine");
        String other = unique("theirs");
        publishedArticle(slug, jake.id());
        publishedArticle(other, jake.id());
        long elsewhere = commentId(jake, other, "on the other article");
        String base = "/articles/" + slug + "/comments/";

        for (String id : List.of(String.valueOf(elsewhere), "abc", "0", "-1", "1.5", "99999999999999999999", "999999999")) {
            given().header("Authorization", jake.auth()).delete(base + id).then().statusCode(404)
                    .body("errors.body", contains("comment not found"));
        }
        given().get("/articles/" + other + "/comments").then().body("comments.id", contains((int) elsewhere));
    }

    private static io.restassured.response.ValidatableResponse send(User user, String path, Object body) {
        return given().header("Authorization", user.auth()).contentType(ContentType.JSON).body(body).when().post(path).then();
    }

    static Map<String, Object> profile(User user, String bio, String image) {
        Map<String, Object> data = new HashMap<>();
        data.put("userId", user.id());
        data.put("username", user.username());
        data.put("bio", bio);
        data.put("image", image);
        return data;
    }

    @Test
    void aLongThreadIsAnsweredInBoundedPagesOldestFirst() {
        User jake = user();
        User anna = user();
        String slug = unique("a-long-thread");
        publishedArticle(slug, anna.id());
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 105; i++) {
            ids.add(commentId(i % 2 == 0 ? jake : anna, slug, "comment " + i));
        }
        String path = "/articles/" + slug + "/comments";
        // a client that does not page gets the first conduit.comment.default-limit (100), oldest first
        List<Long> firstPage = given().get(path).then().statusCode(200).body("comments.size()", equalTo(100))
                .extract().jsonPath().getList("comments.id", Long.class);
        org.junit.jupiter.api.Assertions.assertEquals(ids.subList(0, 100), firstPage);
        given().queryParam("offset", 100).get(path).then().statusCode(200)
                .body("comments.size()", equalTo(5)).body("comments[0].body", equalTo("comment 100"));
        given().queryParam("limit", 3).queryParam("offset", 2).get(path).then().statusCode(200)
                .body("comments.body", contains("comment 2", "comment 3", "comment 4"));
        given().queryParam("limit", 0).get(path).then().statusCode(200).body("comments.size()", equalTo(0));
        given().queryParam("offset", 1000).get(path).then().statusCode(200).body("comments.size()", equalTo(0));
        for (String[] bad : new String[][] {{"limit", "201"}, {"limit", "-1"}, {"limit", "ten"}, {"offset", "-5"}, {"offset", "1e3"}}) {
            given().queryParam(bad[0], bad[1]).get(path).then().statusCode(422)
                    .body("errors.body[0]", matchesPattern("(limit|offset) must .*"));
        }
    }
}

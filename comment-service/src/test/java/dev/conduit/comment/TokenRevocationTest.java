package dev.conduit.comment;

import dev.conduit.comment.Fixtures.User;
import dev.conduit.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static dev.conduit.comment.Fixtures.publishedArticle;
import static dev.conduit.comment.Fixtures.unique;
import static dev.conduit.comment.Fixtures.user;
import static dev.conduit.comment.Fixtures.userEvent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password change reaches comment-service as {@code UserCredentialsChanged}: the user's older
 * tokens are refused (401, the one message) within the bound, on the routes that need a token and
 * on the one where it is optional; tokens from the cut-off on work.
 */
@QuarkusTest
@WithTestResource(CommentTestResource.class)
class TokenRevocationTest {

    private static final Duration BOUND = Duration.ofSeconds(2);

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aPasswordChangeRevokesTheUsersOlderTokensWithinTheBound() {
        String slug = unique("revocation");
        publishedArticle(slug, user().id());
        // the consumer applies user events before anything is timed
        User warmUp = registered();
        String warmUpOld = bearer(warmUp, Instant.now().minusSeconds(5));
        revoke(warmUp, Instant.now().plusSeconds(1));
        await("the consumer applies user events").atMost(Duration.ofSeconds(30)).until(() -> comments(slug, warmUpOld) == 401);

        User jake = registered();
        String old = bearer(jake, Instant.now().minusSeconds(5));
        given().header("Authorization", old).contentType(ContentType.JSON).body(Map.of("comment", Map.of("body", "before")))
                .post("/articles/" + slug + "/comments").then().statusCode(200);

        Instant cutoff = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        long sent = System.nanoTime();
        revoke(jake, cutoff);
        await("the old token is refused within " + BOUND).atMost(BOUND).until(() -> comments(slug, old) == 401);
        System.out.printf("revocation delay, comment-service (UserCredentialsChanged sent -> old token refused): %d ms%n",
                (System.nanoTime() - sent) / 1_000_000);

        given().header("Authorization", old).contentType(ContentType.JSON).body(Map.of("comment", Map.of("body", "after")))
                .post("/articles/" + slug + "/comments").then().statusCode(401)
                .body("errors.body", contains("token is missing, invalid or expired"));
        String renewed = bearer(jake, cutoff);
        given().header("Authorization", renewed).contentType(ContentType.JSON).body(Map.of("comment", Map.of("body", "after")))
                .post("/articles/" + slug + "/comments").then().statusCode(200);
        given().get("/articles/" + slug + "/comments").then().statusCode(200);
    }

    private static User registered() {
        User user = user();
        userEvent(user.id(), "UserRegistered", 1, Map.of("userId", user.id(), "username", user.username()));
        return user;
    }

    private static void revoke(User user, Instant cutoff) {
        userEvent(user.id(), "UserCredentialsChanged", 2, Map.of("userId", user.id(), "tokensValidAfter", cutoff.toString()));
    }

    private static String bearer(User user, Instant issuedAt) {
        return "Bearer " + TestTokens.sign(user.id(), user.username(), issuedAt);
    }

    private static int comments(String slug, String auth) {
        return given().header("Authorization", auth).get("/articles/" + slug + "/comments").statusCode();
    }
}

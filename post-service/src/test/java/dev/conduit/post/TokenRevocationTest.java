package dev.conduit.post;

import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static dev.conduit.post.Authors.userEvent;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password change reaches post-service as {@code UserCredentialsChanged} on the real broker: the
 * user's older tokens are refused (401, the one message) within a second or two, tokens issued from
 * the cut-off on work, other users are untouched.
 */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class TokenRevocationTest {

    /** The bound: the event's way through Kafka and the consumer into the read model. */
    private static final Duration BOUND = Duration.ofSeconds(2);

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aPasswordChangeRevokesTheUsersOlderTokensWithinTheBound() {
        // the consumer has its partitions and applies user events before anything is timed
        // (with a token signed before the cut-off: one signed at each poll would pass once the cut-off is past)
        Authors.Author warmUp = Authors.registered();
        String warmUpOld = "Token " + TestTokens.sign(warmUp.id(), warmUp.username(), Instant.now().minusSeconds(5));
        revoke(warmUp, 2, Instant.now().plusSeconds(1));
        await("the consumer applies user events").atMost(Duration.ofSeconds(30)).until(() -> feed(warmUpOld) == 401);

        Authors.Author jake = Authors.registered();
        Authors.Author anna = Authors.registered();
        String old = "Token " + TestTokens.sign(jake.id(), jake.username(), Instant.now().minusSeconds(5));
        String slug = Authors.publish(jake, "Before the change " + UUID.randomUUID(), List.of());
        given().header("Authorization", old).get("/articles/feed").then().statusCode(200);

        Instant cutoff = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        long sent = System.nanoTime();
        revoke(jake, 2, cutoff);
        await("the old token is refused within " + BOUND).atMost(BOUND).until(() -> feed(old) == 401);
        System.out.printf("revocation delay, post-service (UserCredentialsChanged sent -> old token refused): %d ms%n",
                (System.nanoTime() - sent) / 1_000_000);

        given().header("Authorization", old).get("/articles/feed").then().statusCode(401)
                .body("errors.body", contains("token is missing, invalid or expired"));
        // every route that looks at the caller, optional ones included
        given().header("Authorization", old).get("/articles/" + slug).then().statusCode(401);
        given().header("Authorization", old).post("/articles/" + slug + "/favorite").then().statusCode(401);
        String renewed = "Token " + TestTokens.sign(jake.id(), jake.username(), cutoff);
        given().header("Authorization", renewed).get("/articles/feed").then().statusCode(200);
        given().header("Authorization", anna.auth()).get("/articles/feed").then().statusCode(200);
    }

    @Test
    void aStaleEventMovesNoCutoffBack() {
        Authors.Author jake = Authors.registered();
        String slug = Authors.publish(jake, "Stale " + UUID.randomUUID(), List.of());
        Instant later = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
        String between = "Token " + TestTokens.sign(jake.id(), jake.username(), later.minusSeconds(2));
        revoke(jake, 3, later);
        await().atMost(Duration.ofSeconds(30)).until(() -> feed(between) == 401);
        // version 2 arrives late with an earlier cut-off: superseded, it changes nothing; version 4
        // (a rename) behind it on the same partition shows when both were consumed
        revoke(jake, 2, later.minusSeconds(2));
        String renamed = jake.username() + "_2";
        userEvent(jake.id(), 4, "UserProfileChanged", "{\"userId\":\"" + jake.id() + "\",\"username\":\"" + renamed
                + "\",\"bio\":null,\"image\":null}");
        await().atMost(Duration.ofSeconds(30)).until(() -> renamed.equals(
                given().get("/articles/" + slug).then().extract().path("article.author.username")));
        given().header("Authorization", between).get("/articles/feed").then().statusCode(401);
    }

    private static void revoke(Authors.Author user, long version, Instant cutoff) {
        userEvent(user.id(), version, "UserCredentialsChanged",
                "{\"userId\":\"" + user.id() + "\",\"tokensValidAfter\":\"" + cutoff + "\"}");
    }

    private static int feed(String auth) {
        return given().header("Authorization", auth).get("/articles/feed").statusCode();
    }
}

package dev.conduit.post;

import dev.conduit.post.client.UserServiceClient;
import dev.conduit.readmodel.authors.AuthorDirectory;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static dev.conduit.post.Authors.follow;
import static dev.conduit.post.Authors.publish;
import static dev.conduit.post.Authors.unfollow;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader sees their own follow and unfollow at once, before the event reaches the authors read
 * model: post-service asks user-service (a stub here) whom the reader follows, and falls back to the
 * read model when user-service does not know the reader or does not answer in time.
 */
@QuarkusTest
@WithTestResource(UserServiceStub.Resource.class)
class FollowReadYourWritesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Inject
    CircuitBreakerMaintenance breakers;
    @Inject
    AuthorDirectory authors;

    @BeforeEach
    @AfterEach
    void closedBreaker() {
        breakers.reset(UserServiceClient.BREAKER);
    }

    @Test
    void followThenFeedShowsTheArticleAndUnfollowThenFeedIsEmptyTwentyTimesInARow() {
        for (int i = 0; i < 20; i++) {
            Authors.Author jake = Authors.registered();
            Authors.Author anna = Authors.registered();
            String slug = publish(jake, "Followed at once " + UUID.randomUUID(), List.of());

            // user-service has acknowledged the follow; its UserFollowed has not reached post-service
            UserServiceStub.follows(anna.id(), List.of(jake.id()));
            given().header("Authorization", anna.auth()).get("/articles/feed").then().statusCode(200)
                    .body("articlesCount", equalTo(1)).body("articles.slug", contains(slug))
                    .body("articles[0].author.username", equalTo(jake.username()))
                    .body("articles[0].author.following", equalTo(true));
            given().header("Authorization", anna.auth()).get("/articles/" + slug).then().statusCode(200)
                    .body("article.author.following", equalTo(true));

            // the event arrives; then the unfollow is acknowledged and its event has not arrived
            follow(anna, jake, 2);
            await("the read model learns the follow").atMost(WAIT).until(() -> followsInReadModel(anna, jake));
            UserServiceStub.follows(anna.id(), List.of());
            given().header("Authorization", anna.auth()).get("/articles/feed").then().statusCode(200)
                    .body("articlesCount", equalTo(0)).body("articles", empty());
            given().header("Authorization", anna.auth()).get("/articles/" + slug).then().statusCode(200)
                    .body("article.author.following", equalTo(false));
            unfollow(anna, jake, 3);
        }
    }

    @Test
    void aReaderUserServiceDoesNotKnowGetsTheReadModelsAnswer() {
        Authors.Author jake = Authors.registered();
        Authors.Author carol = Authors.registered();
        String slug = publish(jake, "Known by events " + UUID.randomUUID(), List.of());
        follow(carol, jake, 2);
        await().atMost(WAIT).until(() -> followsInReadModel(carol, jake));
        given().header("Authorization", carol.auth()).get("/articles/feed").then().statusCode(200)
                .body("articles.slug", contains(slug)).body("articles[0].author.following", equalTo(true));
    }

    @Test
    void aSlowUserServiceCostsAtMostTheTimeoutAndTheReadModelAnswers() {
        Authors.Author jake = Authors.registered();
        Authors.Author dave = Authors.registered();
        String slug = publish(jake, "Slow lookup " + UUID.randomUUID(), List.of());
        follow(dave, jake, 2);
        await().atMost(WAIT).until(() -> followsInReadModel(dave, jake));
        UserServiceStub.answerWith(dave.id(), List.of(), 5_000);

        long start = System.nanoTime();
        given().header("Authorization", dave.auth()).get("/articles/feed").then().statusCode(200)
                .body("articles.slug", contains(slug)).body("articles[0].author.following", equalTo(true));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 3_000, "answered in " + millis + " ms");
    }

    private boolean followsInReadModel(Authors.Author follower, Authors.Author followee) {
        return authors.followingOf(follower.id()).await().atMost(Duration.ofSeconds(5)).contains(followee.id());
    }
}

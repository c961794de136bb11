package dev.conduit.comment;

import dev.conduit.comment.Fixtures.User;
import dev.conduit.comment.client.PostServiceClient;
import dev.conduit.comment.readmodel.ArticleRepository;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.conduit.comment.Fixtures.article;
import static dev.conduit.comment.Fixtures.awaitReachable;
import static dev.conduit.comment.Fixtures.comment;
import static dev.conduit.comment.Fixtures.commentId;
import static dev.conduit.comment.Fixtures.postEvent;
import static dev.conduit.comment.Fixtures.publishedArticle;
import static dev.conduit.comment.Fixtures.unique;
import static dev.conduit.comment.Fixtures.user;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The moment between an article's publication and its event: post-service is asked once, with a
 * timeout and a circuit breaker, and its answer remembered (against a stub of post-service).
 */
@QuarkusTest
@WithTestResource(CommentTestResource.class)
class PostServiceLookupTest {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Inject
    CircuitBreakerMaintenance breakers;
    @Inject
    ArticleRepository articles;

    @BeforeEach
    @AfterEach
    void closedBreaker() {
        breakers.reset(PostServiceClient.BREAKER);
    }

    @Test
    void aCommentRightAfterPublishingSucceedsBeforeTheEventArrivesAndTheAnswerIsRemembered() {
        User jake = user();
        String slug = unique("just-published");
        String id = new ObjectId().toHexString();
        PostServiceStub.knows(slug, id, jake.id(), 1);

        long first = commentId(jake, slug, "first!");
        assertEquals(1, PostServiceStub.calls(slug), "asked once");
        given().get("/articles/" + slug + "/comments").then().statusCode(200).body("comments.id", contains((int) first));
        commentId(jake, slug, "second");
        assertEquals(1, PostServiceStub.calls(slug), "and remembered");
        assertEquals(1, articles.findById(id).await().atMost(Duration.ofSeconds(5)).version);

        // the events arrive later and carry on from the remembered version
        postEvent(id, "ArticlePublished", 1, article(id, slug, jake.id()));
        String renamed = unique("renamed");
        postEvent(id, "ArticleUpdated", 2, article(id, renamed, jake.id()));
        awaitReachable(renamed);
        given().get("/articles/" + renamed + "/comments").then().statusCode(200).body("comments.size()", org.hamcrest.Matchers.equalTo(2));
    }

    @Test
    void anArticlePostServiceDoesNotKnowStays404() {
        User jake = user();
        String slug = unique("never-published");
        comment(jake, slug, "anyone?").statusCode(404).body("errors.body", contains("article not found"));
        given().get("/articles/" + slug + "/comments").then().statusCode(404);
        assertTrue(PostServiceStub.calls(slug) >= 1, "post-service was asked");
    }

    @Test
    void aSlowPostServiceTimesOutAndTheOpenBreakerStopsAsking() {
        User jake = user();
        String known = unique("known-from-events");
        publishedArticle(known, jake.id());
        String slow = unique("slow");
        PostServiceStub.answerWith(slow, new ObjectId().toHexString(), jake.id(), 1, 4_000);

        for (int i = 0; i < 4; i++) {
            long started = System.nanoTime();
            comment(jake, slow, "waiting").statusCode(503)
                    .body("errors.body", contains("the article cannot be checked right now, try again"));
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(millis < 3_000, "answered after the 1 s timeout, not post-service's 4 s: " + millis + " ms");
        }
        assertEquals(CircuitBreakerState.OPEN, breakers.currentState(PostServiceClient.BREAKER));
        int asked = PostServiceStub.calls(slow);
        comment(jake, slow, "still waiting").statusCode(503);
        assertEquals(asked, PostServiceStub.calls(slow), "an open breaker does not ask");

        // what the read model knows does not need post-service
        commentId(jake, known, "events are enough here");
    }
}

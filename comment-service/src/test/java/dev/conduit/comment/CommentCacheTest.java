package dev.conduit.comment;

import dev.conduit.comment.Fixtures.User;
import dev.conduit.comment.service.CommentPages;
import dev.conduit.localstack.testing.Scrape;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import dev.conduit.comment.CommentDocument;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.conduit.comment.Fixtures.commentId;
import static dev.conduit.comment.Fixtures.publishedArticle;
import static dev.conduit.comment.Fixtures.unique;
import static dev.conduit.comment.Fixtures.user;
import static dev.conduit.comment.Fixtures.userEvent;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the caches on (the default): the comments page cache never hides a write that answered
 * (read-your-writes, for adds and deletes, on a page read just before), it answers a second read
 * of an unchanged article without listing, and the author cache shows a profile change once its
 * event arrives, well before the cache's max age.
 */
@QuarkusTest
@WithTestResource(CommentTestResource.class)
class CommentCacheTest {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Inject
    CommentPages pages;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void aNewCommentShowsAndADeletedOneGoesAtOnceOnACachedPage() {
        User jake = user();
        String slug = unique("cached");
        publishedArticle(slug, jake.id());
        String path = "/articles/" + slug + "/comments";
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // the page is read (and cached) twice before each write
            assertEquals(expected, ids(path));
            assertEquals(expected, ids(path));
            expected.add(commentId(jake, slug, "comment " + i));
            assertEquals(expected, ids(path), "a comment that was answered is missing");
        }
        for (int i = 0; i < 3; i++) {
            long gone = expected.remove(0);
            given().header("Authorization", jake.auth()).delete(path + "/" + gone).then().statusCode(204);
            assertEquals(expected, ids(path), "a deleted comment is still listed");
            assertEquals(expected.subList(0, Math.min(2, expected.size())), ids(path + "?limit=2"));
        }
        assertEquals(expected.subList(0, 1), ids(path + "?limit=1"));
    }

    @Test
    void aPageIsListedOncePerVersion() {
        AtomicInteger listed = new AtomicInteger();
        String article = unique("article");
        Uni<List<CommentDocument>> page = pages.page(article, 3, 0, 10, () -> {
            listed.incrementAndGet();
            return Uni.createFrom().item(List.of());
        });
        page.await().indefinitely();
        pages.page(article, 3, 0, 10, () -> {
            listed.incrementAndGet();
            return Uni.createFrom().item(List.of());
        }).await().indefinitely();
        assertEquals(1, listed.get(), "the second read of version 3 listed again");
        pages.page(article, 4, 0, 10, () -> {
            listed.incrementAndGet();
            return Uni.createFrom().item(List.of());
        }).await().indefinitely();
        assertEquals(2, listed.get(), "version 4 was answered from the page of version 3");
        pages.page(article, 3, 0, 10, () -> {
            listed.incrementAndGet();
            return Uni.createFrom().item(List.of());
        }).await().indefinitely();
        assertEquals(3, listed.get(), "a page of another version was answered");
    }

    @Test
    void aProfileChangeShowsOnceItsEventArrives() {
        User anna = user();
        userEvent(anna.id(), "UserRegistered", 1, Map.of("userId", anna.id(), "username", anna.username(), "bio", "old bio"));
        String slug = unique("bio");
        publishedArticle(slug, anna.id());
        commentId(anna, slug, "hello");
        String path = "/articles/" + slug + "/comments";
        await("the read model knows anna").atMost(Fixtures.WAIT).until(() -> "old bio".equals(bio(path)));
        // cached now; the change must show long before the cache's max age (30 s)
        assertEquals("old bio", bio(path));
        userEvent(anna.id(), "UserProfileChanged", 2, Map.of("userId", anna.id(), "username", anna.username(), "bio", "new bio"));
        await("the new bio shows").atMost(Duration.ofSeconds(10)).until(() -> "new bio".equals(bio(path)));
        assertFalse("old bio".equals(bio(path)));
        assertTrue("new bio".equals(bio(path)));
    }

    @Test
    void bothCachesCountTheirHitsAndMissesOnTheMetrics() {
        User jake = user();
        userEvent(jake.id(), "UserRegistered", 1, Map.of("userId", jake.id(), "username", jake.username()));
        String slug = unique("counted");
        publishedArticle(slug, jake.id());
        commentId(jake, slug, "counted");
        String path = "/articles/" + slug + "/comments";

        Scrape before = Scrape.of(management);
        ids(path);
        ids(path);
        ids(path);
        Scrape after = Scrape.of(management);
        assertTrue(gets(after, "comment-pages", "miss") - gets(before, "comment-pages", "miss") >= 1,
                "the first read of the new version is a miss");
        assertTrue(gets(after, "comment-pages", "hit") - gets(before, "comment-pages", "hit") >= 2,
                "the two reads after it are hits");

        // the author cache caches once it follows conduit.users; from then on a read of jake's comment is a hit
        await("an author cache hit").atMost(Fixtures.WAIT).until(() -> {
            double hits = gets(Scrape.of(management), "authors", "hit");
            ids(path);
            return gets(Scrape.of(management), "authors", "hit") > hits;
        });
    }

    private static double gets(Scrape scrape, String cache, String result) {
        return scrape.value("cache_gets_total", Map.of("cache", cache, "result", result))
                .orElseThrow(() -> new AssertionError("no cache_gets_total for " + cache + " " + result));
    }

    private static String bio(String path) {
        return given().get(path).then().statusCode(200).extract().jsonPath().getString("comments[0].author.bio");
    }

    private static List<Long> ids(String path) {
        return given().get(path).then().statusCode(200).extract().jsonPath().getList("comments.id", Long.class);
    }
}

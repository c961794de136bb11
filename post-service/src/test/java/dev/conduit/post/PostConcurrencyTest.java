package dev.conduit.post;

import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.post.Authors.Author;
import dev.conduit.localstack.testing.Crowd;
import dev.conduit.localstack.testing.Crowd.Answer;
import dev.conduit.post.repository.ArticleRepository;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.conduit.post.Authors.publish;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crowds at one article: favorites, unfavorites, updates, deletes and same-title creations racing.
 * Never a 5xx, on the embedded MongoDB imitation too; every acknowledged change is stored once and
 * counted once.
 */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class PostConcurrencyTest {

    private static final Duration DB = Duration.ofSeconds(10);

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Inject
    ArticleRepository articles;
    @Inject
    dev.conduit.post.favorite.FavoriteRepository favorites;

    @Test
    void fiftyUsersFavoritingOneArticleAtOnceAreEachCountedOnce() {
        Author jake = Authors.unannounced();
        String slug = publish(jake, "Hot article " + UUID.randomUUID(), List.of());
        List<String> fans = IntStream.range(0, 50).mapToObj(i -> Authors.unannounced().auth()).toList();

        List<Answer> answers = Crowd.run(fans.size(), i -> Crowd.bounded().header("Authorization", fans.get(i))
                .post("/articles/" + slug + "/favorite"));

        assertNo5xx(answers);
        assertEquals(Map.of(200, 50L), Crowd.statuses(answers), () -> "e.g. " + Crowd.samples(answers, s -> s != 200));
        answers.forEach(a -> assertEquals(true, JsonPath.from(a.body()).getBoolean("article.favorited")));
        given().get("/articles/" + slug).then().statusCode(200).body("article.favoritesCount", equalTo(50));
        var stored = stored(slug).await().atMost(DB);
        assertEquals(50L, favoritesOf(stored), "each fan once, in the favorites collection");
        assertEquals(1 + 50, stored.version, "one version, and one event, per favorite");
    }

    @Test
    void favoritesAndUnfavoritesRepeatedAtOnceByTheSameUsersLeaveTheCountRight() {
        Author jake = Authors.unannounced();
        String slug = publish(jake, "Clicked twice " + UUID.randomUUID(), List.of());
        List<String> fans = IntStream.range(0, 20).mapToObj(i -> Authors.unannounced().auth()).toList();

        // every fan favorites four times at once: one favorite each
        List<Answer> favorites = Crowd.run(fans.size() * 4, i -> Crowd.bounded().header("Authorization", fans.get(i % fans.size()))
                .post("/articles/" + slug + "/favorite"));
        assertNo5xx(favorites);
        assertEquals(Map.of(200, 80L), Crowd.statuses(favorites));
        var afterFavorites = stored(slug).await().atMost(DB);
        assertEquals(20, afterFavorites.favoritesCount);
        assertEquals(20L, favoritesOf(afterFavorites));
        assertEquals(1 + 20, afterFavorites.version, "a repeated favorite changes nothing and publishes nothing");

        // the first half unfavorite twice while the second half favorite again: ten left
        List<Answer> mixed = Crowd.run(fans.size() * 2, i -> {
            int fan = i % fans.size();
            var request = Crowd.bounded().header("Authorization", fans.get(fan));
            return fan < 10 ? request.delete("/articles/" + slug + "/favorite") : request.post("/articles/" + slug + "/favorite");
        });
        assertNo5xx(mixed);
        assertEquals(Map.of(200, 40L), Crowd.statuses(mixed));
        var stored = stored(slug).await().atMost(DB);
        assertEquals(10, stored.favoritesCount, "count = distinct favoriting users");
        assertEquals(10L, favoritesOf(stored));
        assertEquals(1 + 20 + 10, stored.version);
    }

    @Test
    void articlesCreatedAtOnceWithOneTitleEachGetTheirOwnSlug() {
        String title = "Same title " + UUID.randomUUID();
        List<Author> writers = IntStream.range(0, 40).mapToObj(i -> Authors.unannounced()).toList();

        List<Answer> answers = Crowd.run(writers.size(), i -> Crowd.bounded().header("Authorization", writers.get(i).auth())
                .contentType(ContentType.JSON)
                .body(Map.of("article", Map.of("title", title, "description", "d" + i, "body", "b" + i, "tagList", List.of())))
                .post("/articles"));

        assertNo5xx(answers);
        assertEquals(Map.of(201, 40L), Crowd.statuses(answers), () -> "e.g. " + Crowd.samples(answers, s -> s != 201));
        Set<String> slugs = new HashSet<>();
        for (Answer a : answers) {
            JsonPath body = JsonPath.from(a.body());
            assertEquals("b" + a.index(), body.getString("article.body"));
            assertTrue(slugs.add(body.getString("article.slug")), "slug handed out twice: " + body.getString("article.slug"));
            given().get("/articles/" + body.getString("article.slug")).then().statusCode(200)
                    .body("article.body", equalTo("b" + a.index()));
        }
    }

    @Test
    void updatesRacingFavoritesAndRenamesRacingNewArticlesAllLand() {
        Author jake = Authors.unannounced();
        String slug = publish(jake, "Busy article " + UUID.randomUUID(), List.of());
        String contested = "Contested title " + UUID.randomUUID();
        List<String> fans = IntStream.range(0, 30).mapToObj(i -> Authors.unannounced().auth()).toList();
        List<String> others = IntStream.range(0, 10).mapToObj(i -> Authors.unannounced().auth()).toList();
        String author = jake.auth();

        // 30 favorites, 20 body edits, 10 new articles titled what the first edit renames it to
        List<Answer> answers = Crowd.run(60, i -> {
            if (i < 30) {
                return Crowd.bounded().header("Authorization", fans.get(i)).post("/articles/" + slug + "/favorite");
            }
            if (i < 50) {
                Map<String, Object> change = i == 30 ? Map.of("title", contested, "body", "edit " + i) : Map.of("body", "edit " + i);
                return Crowd.bounded().header("Authorization", author).contentType(ContentType.JSON)
                        .body(Map.of("article", change)).put("/articles/" + slug);
            }
            return Crowd.bounded().header("Authorization", others.get(i - 50)).contentType(ContentType.JSON)
                    .body(Map.of("article", Map.of("title", contested, "description", "d", "body", "b", "tagList", List.of())))
                    .post("/articles");
        });

        assertNo5xx(answers);
        // a favorite or an edit that comes after the rename no longer finds the old slug: a clean 404
        assertTrue(answers.subList(0, 30).stream().allMatch(a -> a.status() == 200 || a.status() == 404),
                () -> "favorites: " + Crowd.statuses(answers.subList(0, 30)));
        assertEquals(200, answers.get(30).status(), answers.get(30).body());
        assertTrue(answers.subList(31, 50).stream().allMatch(a -> a.status() == 200 || a.status() == 404),
                () -> "edits: " + Crowd.statuses(answers.subList(31, 50)));
        assertTrue(answers.subList(50, 60).stream().allMatch(a -> a.status() == 201),
                () -> "creations: " + Crowd.statuses(answers.subList(50, 60)));

        Set<String> slugs = new HashSet<>();
        answers.subList(50, 60).forEach(a -> slugs.add(JsonPath.from(a.body()).getString("article.slug")));
        String renamed = JsonPath.from(answers.get(30).body()).getString("article.slug");
        assertTrue(slugs.add(renamed), "the renamed article has its own slug");
        assertEquals(11, slugs.size());

        var stored = articles.find("title", contested).list().await().atMost(DB).stream()
                .filter(a -> a.authorId.equals(jake.id())).findFirst().orElseThrow();
        long favorited = answers.subList(0, 30).stream().filter(a -> a.status() == 200).count();
        long edited = answers.subList(30, 50).stream().filter(a -> a.status() == 200).count();
        assertEquals(favorited, stored.favoritesCount, "every acknowledged favorite counted once");
        assertEquals(favorited, favoritesOf(stored));
        assertEquals(1 + favorited + edited, stored.version, "one version, and one event, per acknowledged change");
    }

    @Test
    void anArticleDeletedWhileItIsFavoritedAnswersEveryoneCleanly() {
        Author jake = Authors.unannounced();
        String slug = publish(jake, "Doomed article " + UUID.randomUUID(), List.of());
        List<String> fans = IntStream.range(0, 40).mapToObj(i -> Authors.unannounced().auth()).toList();
        String author = jake.auth();

        List<Answer> answers = Crowd.run(44, i -> i % 11 == 5
                ? Crowd.bounded().header("Authorization", author).delete("/articles/" + slug)
                : Crowd.bounded().header("Authorization", fans.get(i % fans.size())).post("/articles/" + slug + "/favorite"));

        assertNo5xx(answers);
        List<Answer> deletes = answers.stream().filter(a -> a.index() % 11 == 5).toList();
        assertEquals(1, deletes.stream().filter(a -> a.status() == 204).count(), () -> "one delete wins: " + Crowd.statuses(deletes));
        assertTrue(deletes.stream().allMatch(a -> a.status() == 204 || a.status() == 404));
        assertTrue(answers.stream().allMatch(a -> a.status() == 200 || a.status() == 204 || a.status() == 404),
                () -> Crowd.statuses(answers).toString());
        given().get("/articles/" + slug).then().statusCode(404);
    }

    private static void assertNo5xx(List<Answer> answers) {
        assertTrue(answers.stream().noneMatch(a -> a.status() >= 500),
                () -> "no 5xx: " + Crowd.statuses(answers) + ", e.g. " + Crowd.samples(answers, s -> s >= 500));
    }

    /** Active favorites of the article in the favorites collection; none may be left pending. */
    private long favoritesOf(dev.conduit.post.ArticleDocument article) {
        String id = article.id.toHexString();
        assertEquals(0L, favorites.count("articleId = ?1 and pending = ?2", id, true).await().atMost(DB), "changes left pending");
        return favorites.count(id).await().atMost(DB);
    }

    /** The whole stored document (reads made for clients leave out the outbox). */
    private io.smallrye.mutiny.Uni<dev.conduit.post.ArticleDocument> stored(String slug) {
        return articles.find("slug", slug).firstResult();
    }
}

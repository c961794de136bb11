package dev.conduit.post;

import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.post.favorite.FavoriteDocument;
import dev.conduit.post.favorite.FavoriteRepository;
import dev.conduit.post.repository.ArticleRepository;
import dev.conduit.post.service.ArticleService;
import dev.conduit.post.service.FavoriteRepair;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static dev.conduit.post.Authors.publish;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Favorites in their own collection: a popular article's document holds only the count; a crash
 * between the relation's write and the article's is finished by the repair; the favorites of
 * articles written by an older version (a {@code favoritedBy} array) are moved at start-up.
 */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class FavoritesTest {

    private static final Duration DB = Duration.ofSeconds(10);

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Inject
    ArticleRepository articles;
    @Inject
    FavoriteRepository favorites;
    @Inject
    ArticleService service;
    @Inject
    FavoriteRepair repair;

    @Test
    void theArticleDocumentHoldsOnlyTheCount() {
        Authors.Author jake = Authors.unannounced();
        String slug = publish(jake, "Popular " + UUID.randomUUID(), List.of());
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", Authors.unannounced().auth()).post("/articles/" + slug + "/favorite").then().statusCode(200)
                    .body("article.favorited", equalTo(true)).body("article.favoritesCount", equalTo(i + 1));
        }
        Document raw = rawArticle(slug);
        assertFalse(raw.containsKey("favoritedBy"), "no list of users in the article: " + raw.keySet());
        assertEquals(5L, raw.getLong("favoritesCount"));
        assertEquals(5L, favorites.count(raw.getObjectId("_id").toHexString()).await().atMost(DB));
    }

    @Test
    void aFavoriteWhoseArticleWriteWasLostToACrashIsFinishedByTheRepair() {
        Authors.Author jake = Authors.unannounced();
        Authors.Author anna = Authors.unannounced();
        String slug = publish(jake, "Crashed favorite " + UUID.randomUUID(), List.of());
        String articleId = rawArticle(slug).getObjectId("_id").toHexString();
        // what a crash right after the relation's write leaves: the relation, pending, and the article untouched
        FavoriteDocument half = new FavoriteDocument();
        half.id = FavoriteDocument.id(articleId, anna.id());
        half.articleId = articleId;
        half.userId = anna.id();
        half.active = true;
        half.pending = true;
        half.changedAt = Instant.ofEpochMilli(System.currentTimeMillis()).minusSeconds(60);
        favorites.persist(half).await().atMost(DB);
        given().get("/articles/" + slug).then().body("article.favoritesCount", equalTo(0));

        service.announceStragglers().await().atMost(DB);

        given().header("Authorization", anna.auth()).get("/articles/" + slug).then().statusCode(200)
                .body("article.favorited", equalTo(true)).body("article.favoritesCount", equalTo(1));
        Document raw = rawArticle(slug);
        assertEquals(2L, raw.getLong("version"), "one version, and one event, for the finished favorite");
        assertNull(favorites.findById(half.id).await().atMost(DB).pending, "no longer pending");
        // a favorite by the same user now changes nothing
        given().header("Authorization", anna.auth()).post("/articles/" + slug + "/favorite").then().statusCode(200)
                .body("article.favoritesCount", equalTo(1));
    }

    @Test
    void favoritesOfArticlesWrittenByAnOlderVersionAreMoved() {
        Authors.Author jake = Authors.unannounced();
        Authors.Author anna = Authors.unannounced();
        Authors.Author bob = Authors.unannounced();
        String slug = publish(jake, "Old favorites " + UUID.randomUUID(), List.of());
        ObjectId id = rawArticle(slug).getObjectId("_id");
        // as the previous version stored them: the users in the article, the count beside them
        articles.mongoDatabase().getCollection("posts").updateOne(new Document("_id", id),
                new Document("$set", new Document("favoritedBy", List.of(anna.id(), bob.id())).append("favoritesCount", 2L)))
                .await().atMost(DB);

        repair.migrate().await().atMost(DB);
        repair.migrate().await().atMost(DB);

        assertFalse(rawArticle(slug).containsKey("favoritedBy"));
        assertEquals(2L, favorites.count(id.toHexString()).await().atMost(DB));
        given().header("Authorization", anna.auth()).get("/articles/" + slug).then()
                .body("article.favorited", equalTo(true)).body("article.favoritesCount", equalTo(2));
        given().header("Authorization", bob.auth()).get("/articles?favorited=" + bob.username()).then().statusCode(200)
                .body("articles.slug", org.hamcrest.Matchers.hasItem(slug));
        given().header("Authorization", bob.auth()).delete("/articles/" + slug + "/favorite").then().statusCode(200)
                .body("article.favorited", equalTo(false)).body("article.favoritesCount", equalTo(1));
    }

    private Document rawArticle(String slug) {
        return articles.mongoDatabase().getCollection("posts").find(new Document("slug", slug)).collect().first()
                .await().atMost(DB);
    }
}

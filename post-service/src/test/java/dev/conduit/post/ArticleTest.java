package dev.conduit.post;

import dev.conduit.localstack.testing.ConduitTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.conduit.post.Authors.create;
import static dev.conduit.post.Authors.publish;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class ArticleTest {

    static final String TIMESTAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aFreshUserPublishesAndSeesThemselvesAsAuthorAtOnce() {
        Authors.Author jake = Authors.unannounced();
        String title = "How to train your dragon " + UUID.randomUUID();
        create(jake, Map.of("title", title, "description", "Ever wonder how?", "body", "You have to believe",
                "tagList", List.of("training", "dragons", "training", " angular ")))
                .statusCode(201)
                .header("Location", startsWith("/api/articles/how-to-train-your-dragon-"))
                .body("article.slug", startsWith("how-to-train-your-dragon-"))
                .body("article.title", equalTo(title))
                .body("article.description", equalTo("Ever wonder how?"))
                .body("article.body", equalTo("You have to believe"))
                .body("article.tagList", contains("angular", "dragons", "training"))
                .body("article.createdAt", matchesPattern(TIMESTAMP))
                .body("article.updatedAt", matchesPattern(TIMESTAMP))
                .body("article.favorited", equalTo(false))
                .body("article.favoritesCount", equalTo(0))
                .body("article.author.username", equalTo(jake.username()))
                .body("article.author", hasKey("bio"))
                .body("article.author.bio", nullValue())
                .body("article.author", hasKey("image"))
                .body("article.author.following", equalTo(false));
    }

    @Test
    void readByAnyoneUpdatedAndDeletedOnlyByTheAuthor() {
        Authors.Author jake = Authors.registered();
        Authors.Author anna = Authors.registered();
        String slug = publish(jake, "Original title " + UUID.randomUUID(), List.of("x"));
        given().get("/articles/" + slug).then().statusCode(200).body("article.slug", equalTo(slug))
                .body("article.body", startsWith("The body of"));

        given().header("Authorization", anna.auth()).contentType(ContentType.JSON)
                .body(Map.of("article", Map.of("body", "vandalised"))).put("/articles/" + slug)
                .then().statusCode(403).body("errors.body", contains("only the author may change this article"));
        given().header("Authorization", anna.auth()).delete("/articles/" + slug).then().statusCode(403);

        String newTitle = "Brand new title " + UUID.randomUUID();
        String newSlug = given().header("Authorization", jake.auth()).contentType(ContentType.JSON)
                .body(Map.of("article", Map.of("title", newTitle, "tagList", List.of("b", "a"))))
                .put("/articles/" + slug).then().statusCode(200)
                .body("article.title", equalTo(newTitle))
                .body("article.slug", startsWith("brand-new-title-"))
                .body("article.body", startsWith("The body of"))
                .body("article.tagList", contains("a", "b"))
                .extract().path("article.slug");
        given().get("/articles/" + slug).then().statusCode(404).body("errors.body", contains("article not found"));
        given().get("/articles/" + newSlug).then().statusCode(200).body("article.title", equalTo(newTitle));

        given().header("Authorization", jake.auth()).delete("/articles/" + newSlug).then().statusCode(204);
        given().get("/articles/" + newSlug).then().statusCode(404);
        given().header("Authorization", jake.auth()).delete("/articles/" + newSlug).then().statusCode(404);
    }

    @Test
    void slugsAreUrlSafeAndUnique() {
        Authors.Author jake = Authors.registered();
        String first = publish(jake, "Crème Brûlée & <script>alert(1)</script> 100%", List.of());
        String second = publish(jake, "Crème Brûlée & <script>alert(1)</script> 100%", List.of());
        String emoji = publish(jake, "🐉🐉 日本語", List.of());
        for (String slug : List.of(first, second, emoji)) {
            org.junit.jupiter.api.Assertions.assertTrue(slug.matches("[a-z0-9]+(-[a-z0-9]+)*"), slug);
            given().get("/articles/" + slug).then().statusCode(200);
        }
        org.junit.jupiter.api.Assertions.assertTrue(first.startsWith("creme-brulee-script-alert-1-script-100"), first);
        org.junit.jupiter.api.Assertions.assertNotEquals(first, second);
        org.junit.jupiter.api.Assertions.assertTrue(emoji.startsWith("article"), emoji);
    }

    @Test
    void aTitleThatSlugsToARouteWordGetsASuffixAndTheRouteStillAnswers() {
        Authors.Author jake = Authors.registered();
        String slug = publish(jake, "Feed", List.of());
        org.junit.jupiter.api.Assertions.assertTrue(slug.matches("feed-[a-z0-9]{6}"), slug);
        given().get("/articles/" + slug).then().statusCode(200)
                .body("article.slug", equalTo(slug)).body("article.title", equalTo("Feed"));

        String renamed = publish(jake, "Not yet the feed", List.of());
        given().header("Authorization", jake.auth()).contentType(ContentType.JSON)
                .body(Map.of("article", Map.of("title", "FEED!"))).put("/articles/" + renamed)
                .then().statusCode(200).body("article.slug", matchesPattern("feed-[a-z0-9]{6}"))
                .body("article.slug", not(equalTo(slug)));

        given().header("Authorization", jake.auth()).get("/articles/feed").then().statusCode(200)
                .body("articles", equalTo(List.of())).body("articlesCount", equalTo(0));
        given().get("/articles/feed").then().statusCode(401);
    }

    @Test
    void badInputIsA422AndNeedsAToken() {
        Authors.Author jake = Authors.registered();
        create(jake, Map.of("description", "d", "body", "b")).statusCode(422).body("errors.body", contains("title can't be blank"));
        create(jake, Map.of("title", " ", "description", "d", "body", "b")).statusCode(422)
                .body("errors.body", hasItem("title can't be blank"));
        create(jake, Map.of("title", "t", "description", "d", "body", "b", "tagList", List.of("ok", ""))).statusCode(422)
                .body("errors.body", contains("tagList can't contain a blank tag"));
        create(jake, Map.of("title", "t", "description", "d", "body", "b", "tagList", "notalist")).statusCode(422)
                .body("errors.body", contains("tagList has the wrong type"));
        create(jake, Map.of("title", "x".repeat(201), "description", "d", "body", "b")).statusCode(422)
                .body("errors.body", contains("title is too long (maximum is 200 characters)"));
        given().header("Authorization", jake.auth()).contentType(ContentType.JSON).body("{\"article\":").post("/articles")
                .then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("article", Map.of("title", "t", "description", "d", "body", "b")))
                .post("/articles").then().statusCode(401).body("errors.body.size()", equalTo(1));
        given().header("Authorization", "Token forged.token.here").get("/articles").then().statusCode(401);
        String slug = publish(jake, "Valid " + UUID.randomUUID(), List.of());
        given().header("Authorization", jake.auth()).contentType(ContentType.JSON)
                .body(Map.of("article", Map.of("title", ""))).put("/articles/" + slug).then().statusCode(422)
                .body("errors.body", contains("title can't be blank"));
        given().header("Authorization", jake.auth()).contentType(ContentType.JSON)
                .body(Map.of("article", Map.of("title", "t"))).put("/articles/no-such-" + UUID.randomUUID()).then().statusCode(404);
        given().get("/articles/no-such-" + UUID.randomUUID()).then().statusCode(404).body("errors.body", contains("article not found"));
    }

    @Test
    void favoritesCountPerCallerAndTwiceIsHarmless() {
        Authors.Author jake = Authors.registered();
        Authors.Author anna = Authors.registered();
        String slug = publish(jake, "Favorite me " + UUID.randomUUID(), List.of());
        given().header("Authorization", anna.auth()).post("/articles/" + slug + "/favorite").then().statusCode(200)
                .body("article.favorited", equalTo(true)).body("article.favoritesCount", equalTo(1));
        given().header("Authorization", anna.auth()).post("/articles/" + slug + "/favorite").then().statusCode(200)
                .body("article.favoritesCount", equalTo(1));
        given().header("Authorization", jake.auth()).get("/articles/" + slug).then()
                .body("article.favorited", equalTo(false)).body("article.favoritesCount", equalTo(1));
        given().header("Authorization", anna.auth()).delete("/articles/" + slug + "/favorite").then().statusCode(200)
                .body("article.favorited", equalTo(false)).body("article.favoritesCount", equalTo(0));
        given().header("Authorization", anna.auth()).delete("/articles/" + slug + "/favorite").then().statusCode(200)
                .body("article.favoritesCount", equalTo(0));
        given().post("/articles/" + slug + "/favorite").then().statusCode(401);
        given().header("Authorization", anna.auth()).post("/articles/nope-" + UUID.randomUUID() + "/favorite").then().statusCode(404);
    }

    @Test
    void twentyParallelFavoritesCountTwenty() throws Exception {
        Authors.Author jake = Authors.registered();
        String slug = publish(jake, "Popular " + UUID.randomUUID(), List.of());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        try {
            List<java.util.concurrent.Callable<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Authors.Author fan = Authors.unannounced();
                calls.add(() -> given().header("Authorization", fan.auth()).post("/articles/" + slug + "/favorite").statusCode());
            }
            for (java.util.concurrent.Future<Integer> f : pool.invokeAll(calls)) {
                org.junit.jupiter.api.Assertions.assertEquals(200, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        given().get("/articles/" + slug).then().body("article.favoritesCount", equalTo(20));
    }

    @Test
    void tagsAreTheMostUsedOnesMostUsedFirstAndBounded() {
        Authors.Author jake = Authors.registered();
        String popular = "zz" + UUID.randomUUID().toString().substring(0, 6);
        String rare = "zy" + popular;
        for (int i = 0; i < 6; i++) {
            publish(jake, "Tagged " + UUID.randomUUID(), i == 0 ? List.of(popular, rare) : List.of(popular));
        }
        // this instance's write cleared the cache: the new tag shows at once
        List<String> tags = given().get("/tags").then().statusCode(200).body("tags", hasItem(popular))
                .extract().path("tags");
        org.junit.jupiter.api.Assertions.assertTrue(tags.size() <= 50, "at most conduit.post.popular-tags: " + tags.size());
        org.junit.jupiter.api.Assertions.assertEquals(tags.stream().distinct().count(), tags.size(), "no duplicates");
        org.junit.jupiter.api.Assertions.assertTrue(!tags.contains(rare) || tags.indexOf(popular) < tags.indexOf(rare),
                "more used first: " + tags);
        given().get("/tags").then().body("tags", not(hasItem("")));
    }

    @Test
    void internalReferenceGivesTheIdBehindASlug() {
        Authors.Author jake = Authors.registered();
        String slug = publish(jake, "Referenced " + UUID.randomUUID(), List.of());
        given().get("/internal/articles/by-slug/" + slug).then().statusCode(200)
                .body("slug", equalTo(slug)).body("authorId", equalTo(jake.id()))
                .body("articleId", matchesPattern("[0-9a-f]{24}")).body("version", equalTo(1));
        given().get("/internal/articles/by-slug/none-" + UUID.randomUUID()).then().statusCode(404);
    }
}

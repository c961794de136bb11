package dev.conduit.post;

import dev.conduit.localstack.testing.ConduitTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.conduit.post.Authors.publish;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/** {@code GET /internal/articles?ids=}: trending-service's hydration of its ranking. */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class HydrationTest {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private static String idOf(String slug) {
        return given().get("/internal/articles/by-slug/" + slug).then().statusCode(200).extract().path("articleId");
    }

    @Test
    void articlesComeInTheOrderAskedForWithoutTheDeletedAndUnknown() {
        Authors.Author jake = Authors.unannounced();
        String first = publish(jake, "Hydrated one " + UUID.randomUUID(), List.of("b", "a"));
        String second = publish(jake, "Hydrated two " + UUID.randomUUID(), List.of());
        String gone = publish(jake, "Hydrated gone " + UUID.randomUUID(), List.of());
        String goneId = idOf(gone);
        given().header("Authorization", jake.auth()).delete("/articles/" + gone).then().statusCode(204);
        String unknown = new ObjectId().toHexString();

        given().queryParam("ids", String.join(",", idOf(second), goneId, unknown, idOf(first)))
                .get("/internal/articles").then().statusCode(200)
                .body("articlesCount", equalTo(2))
                .body("articles.slug", contains(second, first))
                .body("articles[1].tagList", contains("a", "b"))
                .body("articles[0].body", nullValue())
                .body("articles[0].favorited", equalTo(false))
                .body("articles[0].author.username", equalTo(jake.username()));
    }

    @Test
    void favoritedIsTheCallersOwn() {
        Authors.Author jake = Authors.unannounced();
        Authors.Author anna = Authors.unannounced();
        String slug = publish(jake, "Hydrated favorite " + UUID.randomUUID(), List.of());
        given().header("Authorization", anna.auth()).post("/articles/" + slug + "/favorite").then().statusCode(200);
        String id = idOf(slug);

        given().header("Authorization", anna.auth()).queryParam("ids", id).get("/internal/articles").then().statusCode(200)
                .body("articles[0].favorited", equalTo(true)).body("articles[0].favoritesCount", equalTo(1));
        given().header("Authorization", jake.auth()).queryParam("ids", id).get("/internal/articles").then().statusCode(200)
                .body("articles[0].favorited", equalTo(false));
        given().queryParam("ids", id).get("/internal/articles").then().statusCode(200)
                .body("articles[0].favorited", equalTo(false)).body("articles[0].author.following", equalTo(false));
    }

    @Test
    void badIdsAre422InTheEnvelope() {
        given().get("/internal/articles").then().statusCode(422).body("errors.body", hasItem(org.hamcrest.Matchers.containsString("ids")));
        given().queryParam("ids", "").get("/internal/articles").then().statusCode(422);
        given().queryParam("ids", "not-an-id").get("/internal/articles").then().statusCode(422)
                .body("errors.body[0]", org.hamcrest.Matchers.containsString("24 hex digits"));
        given().queryParam("ids", new ObjectId().toHexString() + ",").get("/internal/articles").then().statusCode(422);
        String tooMany = IntStream.range(0, 101).mapToObj(i -> new ObjectId().toHexString()).collect(Collectors.joining(","));
        given().queryParam("ids", tooMany).get("/internal/articles").then().statusCode(422)
                .body("errors.body[0]", org.hamcrest.Matchers.containsString("at most 100"));
        String hundred = IntStream.range(0, 100).mapToObj(i -> new ObjectId().toHexString()).collect(Collectors.joining(","));
        given().queryParam("ids", hundred).get("/internal/articles").then().statusCode(200)
                .body("articlesCount", equalTo(0));
    }
}

package dev.conduit.post;

import dev.conduit.localstack.testing.ConduitTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.conduit.post.Authors.publish;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class ListTest {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void filtersCombineNewestFirstWithTheTotalAndNoBody() {
        Authors.Author jake = Authors.registered();
        Authors.Author anna = Authors.registered();
        String tag = "t" + UUID.randomUUID().toString().substring(0, 8);
        String a1 = publish(jake, "one " + tag, List.of(tag));
        String a2 = publish(anna, "two " + tag, List.of(tag, "other"));
        String a3 = publish(jake, "three " + tag, List.of(tag));
        publish(jake, "untagged " + tag, List.of());
        given().header("Authorization", anna.auth()).post("/articles/" + a1 + "/favorite").then().statusCode(200);

        given().queryParam("tag", tag).get("/articles").then().statusCode(200)
                .body("articlesCount", equalTo(3))
                .body("articles.slug", contains(a3, a2, a1))
                .body("articles", everyItem(not(hasKey("body"))))
                .body("articles[0]", hasKey("tagList"));
        given().queryParam("tag", tag).queryParam("author", jake.username()).get("/articles").then()
                .body("articlesCount", equalTo(2)).body("articles.slug", contains(a3, a1));
        given().queryParam("tag", tag).queryParam("favorited", anna.username()).get("/articles").then()
                .body("articlesCount", equalTo(1)).body("articles.slug", contains(a1));
        given().header("Authorization", anna.auth()).queryParam("favorited", anna.username()).queryParam("author", jake.username())
                .get("/articles").then().body("articles.slug", contains(a1)).body("articles[0].favorited", equalTo(true));
        given().queryParam("author", jake.username().toUpperCase()).queryParam("tag", tag).get("/articles").then()
                .body("articlesCount", equalTo(2));
    }

    @Test
    void pagingEdges() {
        Authors.Author jake = Authors.registered();
        String tag = "p" + UUID.randomUUID().toString().substring(0, 8);
        String s1 = publish(jake, "p1", List.of(tag));
        String s2 = publish(jake, "p2", List.of(tag));
        String s3 = publish(jake, "p3", List.of(tag));
        given().queryParam("tag", tag).queryParam("limit", 2).get("/articles").then()
                .body("articlesCount", equalTo(3)).body("articles.slug", contains(s3, s2));
        given().queryParam("tag", tag).queryParam("limit", 2).queryParam("offset", 2).get("/articles").then()
                .body("articlesCount", equalTo(3)).body("articles.slug", contains(s1));
        given().queryParam("tag", tag).queryParam("offset", 50).get("/articles").then().statusCode(200)
                .body("articlesCount", equalTo(3)).body("articles", empty());
        given().queryParam("tag", tag).queryParam("limit", 0).get("/articles").then().statusCode(200)
                .body("articlesCount", equalTo(3)).body("articles", empty());
        given().queryParam("limit", -1).get("/articles").then().statusCode(422)
                .body("errors.body", contains("limit must be between 0 and 100"));
        given().queryParam("limit", 1_000_000).get("/articles").then().statusCode(422);
        given().queryParam("offset", -5).get("/articles").then().statusCode(422)
                .body("errors.body", contains("offset must be 0 or more"));
        given().queryParam("limit", "ten").get("/articles").then().statusCode(422)
                .body("errors.body", contains("limit must be a whole number"));
        given().queryParam("offset", "99999999999").get("/articles").then().statusCode(422);
    }

    @Test
    void filtersNamingNobodyGiveAnEmptyList() {
        given().queryParam("author", "nobody_" + UUID.randomUUID()).get("/articles").then().statusCode(200)
                .body("articlesCount", equalTo(0)).body("articles", empty());
        given().queryParam("favorited", "nobody_" + UUID.randomUUID()).get("/articles").then().statusCode(200)
                .body("articlesCount", equalTo(0));
        given().queryParam("tag", "no-such-tag-" + UUID.randomUUID()).get("/articles").then().statusCode(200)
                .body("articlesCount", equalTo(0));
    }
}

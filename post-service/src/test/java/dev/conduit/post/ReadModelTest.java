package dev.conduit.post;

import dev.conduit.events.Topics;
import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.TestEvents;
import dev.conduit.localstack.testing.TestServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import static dev.conduit.post.Authors.follow;
import static dev.conduit.post.Authors.publish;
import static dev.conduit.post.Authors.unfollow;
import static dev.conduit.post.Authors.userEvent;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The authors read model, driven by real user events on the broker. */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class ReadModelTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void feedFollowsUserFollowedAndUserUnfollowedEvents() {
        Authors.Author jake = Authors.registered();
        Authors.Author anna = Authors.registered();
        Authors.Author other = Authors.registered();
        String slug = publish(jake, "Feed me " + UUID.randomUUID(), List.of());
        publish(other, "Not followed " + UUID.randomUUID(), List.of());
        given().header("Authorization", anna.auth()).get("/articles/feed").then().statusCode(200)
                .body("articlesCount", equalTo(0)).body("articles", empty());

        follow(anna, jake, 2);
        await().atMost(WAIT).until(() -> given().header("Authorization", anna.auth()).get("/articles/feed")
                .then().extract().<Integer>path("articlesCount") == 1);
        given().header("Authorization", anna.auth()).get("/articles/feed").then()
                .body("articles.slug", contains(slug))
                .body("articles[0].author.following", equalTo(true))
                .body("articles[0].author.username", equalTo(jake.username()));
        given().header("Authorization", anna.auth()).get("/articles/" + slug).then().body("article.author.following", equalTo(true));

        unfollow(anna, jake, 3);
        await().atMost(WAIT).until(() -> given().header("Authorization", anna.auth()).get("/articles/feed")
                .then().extract().<Integer>path("articlesCount") == 0);
        given().get("/articles/feed").then().statusCode(401);
    }

    @Test
    void profileChangesReachArticlesAndTheAuthorFilter() {
        Authors.Author jake = Authors.registered();
        String slug = publish(jake, "Renamed author " + UUID.randomUUID(), List.of());
        String newName = jake.username() + "_new";
        userEvent(jake.id(), 2, "UserProfileChanged", "{\"userId\":\"" + jake.id() + "\",\"username\":\"" + newName
                + "\",\"bio\":\"I write\",\"image\":\"https://img.example/j.png\"}");
        await().atMost(WAIT).until(() -> newName.equals(given().get("/articles/" + slug).then()
                .extract().path("article.author.username")));
        given().get("/articles/" + slug).then().body("article.author.bio", equalTo("I write"))
                .body("article.author.image", equalTo("https://img.example/j.png"));
        given().queryParam("author", newName).get("/articles").then().body("articles.slug", contains(slug));
        given().queryParam("author", jake.username()).get("/articles").then().body("articlesCount", equalTo(0));
    }

    @Test
    void duplicateAndOutOfOrderEventsLeaveTheNewestState() {
        Authors.Author jake = Authors.registered();
        String slug = publish(jake, "Versions " + UUID.randomUUID(), List.of());
        String v3 = "{\"userId\":\"" + jake.id() + "\",\"username\":\"" + jake.username() + "\",\"bio\":\"v3\",\"image\":null}";
        String v2 = "{\"userId\":\"" + jake.id() + "\",\"username\":\"" + jake.username() + "\",\"bio\":\"v2\",\"image\":null}";
        userEvent(jake.id(), 3, "UserProfileChanged", v3);
        userEvent(jake.id(), 2, "UserProfileChanged", v2);
        userEvent(jake.id(), 3, "UserProfileChanged", v3);
        userEvent(jake.id(), 1, "UserRegistered", "{\"userId\":\"" + jake.id() + "\",\"username\":\"old\",\"bio\":null,\"image\":null}");
        String marker = jake.username() + "_m";
        userEvent(jake.id(), 4, "UserProfileChanged", "{\"userId\":\"" + jake.id() + "\",\"username\":\"" + marker
                + "\",\"bio\":\"v4\",\"image\":null}");
        // events of one key are applied in order: once v4 shows, v2 and the replays were seen before it
        await().atMost(WAIT)
                .until(() -> marker.equals(given().get("/articles/" + slug).then().extract().path("article.author.username")));
        given().get("/articles/" + slug).then().body("article.author.bio", equalTo("v4"));
        userEvent(jake.id(), 3, "UserProfileChanged", v3);
        String probe = Authors.registered().username();
        await().atMost(WAIT).until(() -> given().queryParam("author", probe).get("/articles").statusCode() == 200);
        given().get("/articles/" + slug).then().body("article.author.bio", equalTo("v4"));
    }

    @Test
    void poisonEventsGoToTheDeadLetterTopicAndConsumptionGoesOn() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        TestEvents.send(Topics.USERS, key, "this is not json");
        TestEvents.send(Topics.USERS, key, TestEvents.envelope("UserProfileChanged", key, 1, "{\"userId\":\"" + key + "\"}"));
        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            List<ConsumerRecord<String, String>> parked = List.copyOf(kafka.consumeStrings()
                    .fromTopics(Topics.deadLetter("post-service"), m -> m.select().where(r -> key.equals(r.key())))
                    .awaitRecords(2, WAIT).getRecords());
            assertEquals(2, parked.size());
            assertTrue(parked.stream().anyMatch(r -> Objects.equals(r.value(), "this is not json")));
        }
        Authors.Author after = Authors.registered();
        String slug = publish(after, "After poison " + UUID.randomUUID(), List.of());
        String renamed = after.username() + "_ok";
        userEvent(after.id(), 2, "UserProfileChanged", "{\"userId\":\"" + after.id() + "\",\"username\":\"" + renamed
                + "\",\"bio\":null,\"image\":null}");
        await().atMost(WAIT)
                .until(() -> renamed.equals(given().get("/articles/" + slug).then().extract().path("article.author.username")));
    }
}

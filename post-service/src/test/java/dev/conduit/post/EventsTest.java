package dev.conduit.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.events.CloudEvents;
import dev.conduit.events.Topics;
import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.EventContract;
import dev.conduit.localstack.testing.TestServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.conduit.post.Authors.publish;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Article events on the real broker: keyed by article id, in version order, with their payloads. */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class EventsTest {

    @Inject
    ObjectMapper json;

    @Test
    void publishUpdateFavoriteDeleteArePublishedInOrder() throws Exception {
        Authors.Author jake = Authors.registered();
        Authors.Author anna = Authors.registered();
        String slug = publish(jake, "Evented " + UUID.randomUUID(), List.of("k"));
        String articleId = given().get("/internal/articles/by-slug/" + slug).then().extract().path("articleId");
        String newSlug = given().header("Authorization", jake.auth()).contentType(ContentType.JSON)
                .body(Map.of("article", Map.of("title", "Evented again " + UUID.randomUUID()))).put("/articles/" + slug)
                .then().statusCode(200).extract().path("article.slug");
        given().header("Authorization", anna.auth()).post("/articles/" + newSlug + "/favorite").then().statusCode(200);
        given().header("Authorization", anna.auth()).delete("/articles/" + newSlug + "/favorite").then().statusCode(200);
        given().header("Authorization", jake.auth()).delete("/articles/" + newSlug).then().statusCode(204);

        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            List<ConsumerRecord<String, String>> records = List.copyOf(kafka.consumeStrings()
                    .fromTopics(Topics.POSTS, m -> m.select().where(r -> articleId.equals(r.key())))
                    .awaitRecords(5, Duration.ofSeconds(60)).getRecords());
            assertEquals(List.of("ArticlePublished", "ArticleUpdated", "ArticleFavorited", "ArticleUnfavorited", "ArticleDeleted"),
                    records.stream().map(r -> new String(r.headers().lastHeader("conduit-event-type").value(), StandardCharsets.UTF_8)).toList());
            records.forEach(EventContract::assertValid);
            for (ConsumerRecord<String, String> record : records) {
                assertEquals(CloudEvents.source("post-service"), new String(record.headers().lastHeader("ce_source").value(), StandardCharsets.UTF_8));
                assertEquals(articleId, new String(record.headers().lastHeader("ce_subject").value(), StandardCharsets.UTF_8));
            }
            List<JsonNode> events = records.stream().map(r -> {
                try {
                    return json.readTree(r.value());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), events.stream().map(e -> e.get("aggregateVersion").asLong()).toList());
            assertEquals(slug, events.get(0).at("/data/slug").asText());
            assertEquals(jake.id(), events.get(0).at("/data/authorId").asText());
            assertEquals(newSlug, events.get(1).at("/data/slug").asText());
            assertEquals(anna.id(), events.get(2).at("/data/userId").asText());
            assertEquals(1, events.get(2).at("/data/favoritesCount").asLong());
            assertEquals(0, events.get(3).at("/data/favoritesCount").asLong());
            assertEquals(newSlug, events.get(4).at("/data/slug").asText());
        }
    }

    @Test
    void everyEventOnTheTopicMatchesTheAsyncApiDocument() {
        // one of its own, then all that the service published in this run (every test of the module so far)
        String slug = publish(Authors.registered(), "Contracted " + UUID.randomUUID(), List.of());
        String articleId = given().get("/internal/articles/by-slug/" + slug).then().extract().path("articleId");
        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            kafka.consumeStrings().fromTopics(Topics.POSTS, m -> m.select().where(r -> articleId.equals(r.key())))
                    .awaitRecords(1, Duration.ofSeconds(60));
        }
        assertTrue(EventContract.assertTopicValid(Topics.POSTS) >= 1);
    }
}

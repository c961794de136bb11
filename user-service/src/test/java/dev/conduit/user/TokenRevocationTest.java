package dev.conduit.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.events.Topics;
import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.EventContract;
import dev.conduit.localstack.testing.TestServers;
import dev.conduit.localstack.testing.TestTokens;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.conduit.user.Users.PASSWORD;
import static dev.conduit.user.Users.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password change revokes every token issued before it, here at once (user-service holds the
 * cut-off), and tells the other services with {@code UserCredentialsChanged}; the token it answers
 * with, and every later login, work at once, even within the same second.
 */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class TokenRevocationTest {

    private static final String NEW_PASSWORD = "a brand new passphrase";
    private static final String INVALID = "token is missing, invalid or expired";

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Inject
    ObjectMapper json;

    @Test
    void aPasswordChangeRevokesEveryOlderTokenAtOnceAndAnswersWithOneThatWorks() {
        Users.Registered jake = Users.register();
        String second = login(jake.email(), PASSWORD);
        String fresh = changePassword(jake.auth());

        for (String old : new String[] {jake.token(), second}) {
            given().header("Authorization", "Token " + old).get("/user").then().statusCode(401)
                    .body("errors.body", contains(INVALID));
            // optional-token routes refuse it too, like any invalid token
            given().header("Authorization", "Token " + old).get("/profiles/" + jake.username()).then().statusCode(401);
            given().header("Authorization", "Token " + old).contentType(ContentType.JSON)
                    .body(Map.of("user", Map.of("password", "the attacker's own"))).put("/user").then().statusCode(401);
        }
        given().header("Authorization", "Token " + fresh).get("/user").then().statusCode(200)
                .body("user.username", equalTo(jake.username()));
        // a login right after the change, likely within the same second, works too
        String relogged = login(jake.email(), NEW_PASSWORD);
        given().header("Authorization", "Token " + relogged).get("/user").then().statusCode(200);
        post("/users/login", Map.of("user", Map.of("email", jake.email(), "password", PASSWORD))).statusCode(401);
    }

    @Test
    void changesOtherThanThePasswordRevokeNothing() {
        Users.Registered jake = Users.register();
        given().header("Authorization", jake.auth()).contentType(ContentType.JSON)
                .body(Map.of("user", Map.of("bio", "still me", "email", "moved-" + jake.email()))).put("/user").then().statusCode(200);
        given().header("Authorization", jake.auth()).get("/user").then().statusCode(200).body("user.bio", equalTo("still me"));
    }

    @Test
    void theCutoffIsPublishedAfterTheProfileChangeOfTheSameRequest() throws Exception {
        Users.Registered jake = Users.register();
        String id = AuthenticationTest.subject(jake.token());
        String fresh = given().header("Authorization", jake.auth()).contentType(ContentType.JSON)
                .body(Map.of("user", Map.of("bio", "new bio", "password", NEW_PASSWORD))).put("/user")
                .then().statusCode(200).extract().path("user.token");
        try (KafkaCompanion kafka = new KafkaCompanion(TestServers.kafkaBootstrap())) {
            List<ConsumerRecord<String, String>> records = List.copyOf(kafka.consumeStrings()
                    .fromTopics(Topics.USERS, m -> m.select().where(r -> id.equals(r.key())))
                    .awaitRecords(3, Duration.ofSeconds(60)).getRecords());
            records.forEach(EventContract::assertValid);
            List<JsonNode> events = records.stream().map(r -> read(r.value())).toList();
            assertEquals(List.of("UserRegistered", "UserProfileChanged", "UserCredentialsChanged"),
                    events.stream().map(e -> e.get("type").asText()).toList());
            assertEquals(List.of(1L, 2L, 3L), events.stream().map(e -> e.get("aggregateVersion").asLong()).toList());
            JsonNode data = events.get(2).get("data");
            assertEquals(id, data.get("userId").asText());
            Instant cutoff = Instant.parse(data.get("tokensValidAfter").asText());
            assertEquals(0, cutoff.getNano(), "a whole second, as iat");
            assertTrue(claim(jake.token(), "iat") < cutoff.getEpochSecond(), "the old token is older than the cut-off");
            assertEquals(cutoff.getEpochSecond(), claim(fresh, "iat"), "the answer's token carries the cut-off");
            assertTrue(!records.get(2).value().contains("passwordHash") && !records.get(2).value().contains(NEW_PASSWORD));
        }
    }

    private String changePassword(String auth) {
        return given().header("Authorization", auth).contentType(ContentType.JSON)
                .body(Map.of("user", Map.of("password", NEW_PASSWORD))).put("/user")
                .then().statusCode(200).extract().path("user.token");
    }

    private static String login(String email, String password) {
        return post("/users/login", Map.of("user", Map.of("email", email, "password", password)))
                .statusCode(200).extract().path("user.token");
    }

    private JsonNode read(String value) {
        try {
            return json.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long claim(String token, String name) {
        return TestTokens.claims(token).getLong(name);
    }
}

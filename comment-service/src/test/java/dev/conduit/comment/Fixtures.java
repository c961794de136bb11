package dev.conduit.comment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.events.CloudEvents;
import dev.conduit.events.Topics;
import dev.conduit.localstack.testing.EventContract;
import dev.conduit.localstack.testing.TestServers;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.types.ObjectId;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * Test helpers: users with tokens signed by the run's key (as user-service signs them), post and
 * user events put on the real broker as post-service and user-service would, and the public calls.
 */
final class Fixtures {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaProducer<String, String> producer;

    private Fixtures() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    record User(String id, String username, String token) {
        String auth() {
            return "Token " + token;
        }
    }

    /** A user with a valid token; no user event is sent, so the read model does not know them yet. */
    static User user() {
        String id = new ObjectId().toHexString();
        String username = unique("u").replace('-', '_');
        return new User(id, username, token(id, username));
    }

    /** An article the read model learns of from an {@code ArticlePublished} on the broker; returns its id. */
    static String publishedArticle(String slug, String authorId) {
        String id = new ObjectId().toHexString();
        postEvent(id, "ArticlePublished", 1, article(id, slug, authorId));
        awaitReachable(slug);
        return id;
    }

    static void awaitReachable(String slug) {
        await("article " + slug + " became reachable").atMost(WAIT)
                .until(() -> given().get("/articles/" + slug + "/comments").statusCode() == 200);
    }

    static void awaitGone(String slug) {
        await("article " + slug + " became 404").atMost(WAIT)
                .until(() -> given().get("/articles/" + slug + "/comments").statusCode() == 404);
    }

    static Map<String, Object> article(String id, String slug, String authorId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("articleId", id);
        data.put("slug", slug);
        data.put("title", slug);
        data.put("description", "about " + slug);
        data.put("tagList", List.of());
        data.put("authorId", authorId);
        return data;
    }

    static String postEvent(String articleId, String type, long version, Map<String, Object> data) {
        return event(Topics.POSTS, articleId, articleId, type, version, data);
    }

    static String userEvent(String userId, String type, long version, Map<String, Object> data) {
        return event(Topics.USERS, userId, userId, type, version, data);
    }

    /** Publishes an envelope on {@code topic} with Conduit's own headers only (an older or outside producer); returns its event id. */
    static String event(String topic, String key, String aggregateId, String type, long version, Map<String, Object> data) {
        return send(topic, key, aggregateId, type, version, data, false);
    }

    /**
     * Publishes an envelope the way its owning service does, as a CloudEvent in binary mode, and holds
     * the record to the event contract first; returns its event id.
     */
    static String cloudEvent(String topic, String key, String aggregateId, String type, long version, Map<String, Object> data) {
        return send(topic, key, aggregateId, type, version, data, true);
    }

    private static String send(String topic, String key, String aggregateId, String type, long version, Map<String, Object> data,
                               boolean cloudEvent) {
        String eventId = UUID.randomUUID().toString();
        String occurredAt = Instant.now().toString();
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("eventId", eventId);
        envelope.put("type", type);
        envelope.put("schemaVersion", 1);
        envelope.put("aggregateId", aggregateId);
        envelope.put("aggregateVersion", version);
        envelope.put("occurredAt", occurredAt);
        envelope.put("data", data);
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, JSON.writeValueAsString(envelope));
            record.headers().add("conduit-event-type", type.getBytes(StandardCharsets.UTF_8));
            record.headers().add("conduit-event-id", eventId.getBytes(StandardCharsets.UTF_8));
            if (cloudEvent) {
                String owner = Topics.USERS.equals(topic) ? "user-service" : "post-service";
                Map.of("ce_specversion", CloudEvents.SPEC_VERSION, "ce_id", eventId, "ce_type", CloudEvents.type(type),
                        "ce_source", CloudEvents.source(owner), "ce_subject", aggregateId, "ce_time", occurredAt,
                        "ce_dataschema", CloudEvents.dataSchema(type, 1), "content-type", CloudEvents.CONTENT_TYPE)
                        .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
                List<String> violations = EventContract.violations(topic, record.headers(), record.value());
                if (!violations.isEmpty()) {
                    throw new AssertionError("the fixture breaks the event contract: " + violations);
                }
            }
            producer().send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish " + type, e);
        }
        return eventId;
    }

    /** Publishes any value with any headers, e.g. a poison record. */
    static void raw(String topic, String key, String value, Map<String, String> headers) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        try {
            producer().send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /** Publishes any value, e.g. a poison record. */
    static void raw(String topic, String key, String value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    private static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.kafkaBootstrap(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000), new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    static ValidatableResponse comment(User user, String slug, String body) {
        return given().header("Authorization", user.auth()).contentType(ContentType.JSON)
                .body(Map.of("comment", Map.of("body", body)))
                .when().post("/articles/" + slug + "/comments").then();
    }

    static long commentId(User user, String slug, String body) {
        return comment(user, slug, body).statusCode(200).extract().jsonPath().getLong("comment.id");
    }

    /** An RS256 token like user-service's: subject = user id, a username claim, issuer, expiry. */
    static String token(String userId, String username) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", "conduit");
        claims.put("sub", userId);
        claims.put("upn", username);
        claims.put("username", username);
        claims.put("iat", now);
        claims.put("exp", now + 3600);
        claims.put("jti", UUID.randomUUID().toString());
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String signingInput = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + b64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(signature.sign());
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
    }

    private static PrivateKey privateKey() throws Exception {
        String pem = Files.readString(TestServers.jwtKeys().privateKey(), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }
}

package dev.conduit.trending;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Conduit events as their owning services publish them (envelope, key = article id), on a given broker. */
public final class Events implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final String posts;
    private final String comments;

    public Events(String bootstrap, String posts, String comments) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer());
        this.posts = posts;
        this.comments = comments;
    }

    public static String newId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    public static String envelope(UUID eventId, String type, String aggregateId, long version, Instant at, String data) {
        return "{\"eventId\":\"" + eventId + "\",\"type\":\"" + type + "\",\"schemaVersion\":1,\"aggregateId\":\""
                + aggregateId + "\",\"aggregateVersion\":" + version + ",\"occurredAt\":\"" + at + "\",\"data\":" + data + "}";
    }

    public String publish(String articleId, long version, Instant at, List<String> tags) {
        String tagList = tags.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(",", "[", "]"));
        return post(articleId, envelope(UUID.randomUUID(), "ArticlePublished", articleId, version, at,
                "{\"articleId\":\"" + articleId + "\",\"slug\":\"s-" + articleId + "\",\"title\":\"t\",\"description\":\"d\","
                        + "\"tagList\":" + tagList + ",\"authorId\":\"author\"}"));
    }

    public String favorite(String articleId, long version, Instant at) {
        return post(articleId, envelope(UUID.randomUUID(), "ArticleFavorited", articleId, version, at,
                "{\"articleId\":\"" + articleId + "\",\"userId\":\"u" + version + "\",\"favoritesCount\":1}"));
    }

    public String comment(String articleId, long commentId, long version, boolean added, Instant at) {
        String data = added
                ? "{\"commentId\":" + commentId + ",\"articleId\":\"" + articleId + "\",\"authorId\":\"u\",\"body\":\"b\"}"
                : "{\"commentId\":" + commentId + ",\"articleId\":\"" + articleId + "\",\"authorId\":\"u\"}";
        return send(comments, articleId, envelope(UUID.randomUUID(), added ? "CommentAdded" : "CommentDeleted",
                String.valueOf(commentId), version, at, data));
    }

    public String post(String articleId, String envelope) {
        return send(posts, articleId, envelope);
    }

    public String send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
            return value;
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}

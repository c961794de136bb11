package dev.conduit.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.conduit.events.comment.CommentAdded;
import dev.conduit.events.comment.CommentDeleted;
import dev.conduit.events.post.ArticleDeleted;
import dev.conduit.events.post.ArticleFavorited;
import dev.conduit.events.post.ArticlePublished;
import dev.conduit.events.post.ArticleUnfavorited;
import dev.conduit.events.post.ArticleUpdated;
import dev.conduit.events.user.UserCredentialsChanged;
import dev.conduit.events.user.UserFollowed;
import dev.conduit.events.user.UserProfileChanged;
import dev.conduit.events.user.UserRegistered;
import dev.conduit.events.user.UserUnfollowed;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The published JSON schemas and the Java types say the same thing, field for field. */
class SchemaContractTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void everyTypeMatchesItsSchema() throws Exception {
        for (Class<?> type : List.of(EventEnvelope.class, UserRegistered.class, UserProfileChanged.class,
                UserFollowed.class, UserUnfollowed.class, UserCredentialsChanged.class, ArticlePublished.class, ArticleUpdated.class, ArticleDeleted.class,
                ArticleFavorited.class, ArticleUnfavorited.class, CommentAdded.class, CommentDeleted.class)) {
            JsonNode schema = schema(type.getSimpleName());
            List<String> required = new ArrayList<>();
            schema.get("required").forEach(n -> required.add(n.asText()));
            List<String> fields = Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).toList();
            assertEquals(fields, required, type.getSimpleName() + ": schema 'required' vs record components");
            assertEquals(fields, iterable(schema.get("properties").fieldNames()), type.getSimpleName() + ": schema properties");
        }
    }

    @Test
    void everyEventKnowsItsNameAndVersionAndKeepsThemOutOfItsData() throws Exception {
        for (ConduitEvent event : List.<ConduitEvent>of(new UserRegistered("u", "jake", null, null),
                new UserProfileChanged("u", "jake", "bio", null), new UserFollowed("u", "v"), new UserUnfollowed("u", "v"),
                new UserCredentialsChanged("u", Instant.parse("2026-01-01T10:00:01Z")),
                new ArticlePublished("a", "s", "t", "d", List.of("x"), "u"), new ArticleUpdated("a", "s", "t", "d", List.of(), "u"),
                new ArticleDeleted("a", "s", "u"), new ArticleFavorited("a", "u", 1), new ArticleUnfavorited("a", "u", 0),
                new CommentAdded(1, "a", "u", "b"), new CommentDeleted(1, "a", "u"))) {
            String name = event.getClass().getSimpleName();
            assertEquals(name, event.eventType());
            assertEquals(name, event.getClass().getField("TYPE").get(null), name + ": TYPE, which consumers switch on");
            assertEquals(1, event.schemaVersion(), name);
            JsonNode data = json.valueToTree(event);
            assertEquals(iterable(schema(name).get("properties").fieldNames()), iterable(data.fieldNames()), name + ": serialised fields");
        }
    }

    @Test
    void theEnvelopeSerialisesToTheDocumentedShape() throws Exception {
        EventEnvelope envelope = new EventEnvelope(UUID.randomUUID(), UserRegistered.TYPE, 1, "abc", 1,
                Instant.parse("2026-01-01T10:00:00Z"), json.valueToTree(new UserRegistered("abc", "jake", null, null)));
        JsonNode written = json.readTree(json.writeValueAsString(envelope));
        assertEquals(iterable(schema("EventEnvelope").get("properties").fieldNames()), iterable(written.fieldNames()));
        assertEquals("2026-01-01T10:00:00Z", written.get("occurredAt").asText());
        assertEquals(envelope, json.treeToValue(written, EventEnvelope.class));
    }

    @Test
    void theAsyncApiDocumentDescribesEveryTypeOnItsTopicWithItsSchema() throws Exception {
        JsonNode document;
        try (InputStream in = EventEnvelope.class.getClassLoader().getResourceAsStream(CloudEvents.ASYNCAPI_RESOURCE)) {
            assertNotNull(in, CloudEvents.ASYNCAPI_RESOURCE);
            document = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        assertEquals(CloudEvents.CONTRACT, document.get("id").asText(), "ce_dataschema points into the document by its id");
        Map<String, List<String>> byTopic = new LinkedHashMap<>();
        byTopic.put(Topics.USERS, List.of(UserRegistered.TYPE, UserProfileChanged.TYPE, UserFollowed.TYPE, UserUnfollowed.TYPE,
                UserCredentialsChanged.TYPE));
        byTopic.put(Topics.POSTS, List.of(ArticlePublished.TYPE, ArticleUpdated.TYPE, ArticleDeleted.TYPE, ArticleFavorited.TYPE,
                ArticleUnfavorited.TYPE));
        byTopic.put(Topics.COMMENTS, List.of(CommentAdded.TYPE, CommentDeleted.TYPE));
        List<String> described = new ArrayList<>();
        document.get("channels").forEach(channel -> {
            List<String> types = byTopic.get(channel.get("address").asText());
            assertNotNull(types, "a channel of no topic: " + channel);
            List<String> refs = new ArrayList<>();
            channel.get("messages").forEach(m -> refs.add(m.get("$ref").asText()));
            assertEquals(types.stream().map(t -> "#/components/messages/" + CloudEvents.messageName(t, 1)).toList(), refs,
                    channel.get("address").asText());
            described.addAll(types);
        });
        assertEquals(byTopic.values().stream().flatMap(List::stream).toList(), described, "every topic has its channel");
        for (String type : described) {
            String message = CloudEvents.messageName(type, 1);
            JsonNode node = document.at("/components/messages/" + message);
            assertEquals(type, node.get("name").asText(), message);
            assertEquals(CloudEvents.dataSchema(type, 1), "urn:conduit:events#" + "/components/messages/" + message);
            assertEquals(CloudEvents.type(type), node.at("/headers/allOf/1/properties/ce_type/const").asText(), message);
            assertEquals(CloudEvents.dataSchema(type, 1), node.at("/headers/allOf/1/properties/ce_dataschema/const").asText(), message);
            assertEquals("#/components/schemas/EventHeaders", node.at("/headers/allOf/0/$ref").asText(), message);
            assertEquals("schemas/EventEnvelope.json", node.at("/payload/allOf/0/$ref").asText(), message);
            assertEquals(type, node.at("/payload/allOf/1/properties/type/const").asText(), message);
            assertEquals(1, node.at("/payload/allOf/1/properties/schemaVersion/const").asInt(), message);
            assertEquals("schemas/" + type + ".json", node.at("/payload/allOf/1/properties/data/$ref").asText(), message);
            schema(type);
        }
    }

    private JsonNode schema(String name) throws Exception {
        try (InputStream in = EventEnvelope.class.getResourceAsStream("schemas/" + name + ".json")) {
            assertNotNull(in, "no schema for " + name);
            return json.readTree(in);
        }
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}

package dev.conduit.localstack.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.events.CloudEvents;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract check accepts what the relay sends, and fails on each way an event can be wrong. */
class EventContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENT_ID = UUID.randomUUID().toString();

    @Test
    void anEventAsTheRelaySendsItMatches() {
        assertEquals(List.of(), EventContract.violations("conduit.posts", headers(h -> { }), favorited(e -> { })));
        assertEquals(List.of(), EventContract.violations("conduit.posts", headers(h -> h.put("traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")), favorited(e -> { })), "unknown headers are allowed");
    }

    @Test
    void aWrongPayloadFails() {
        assertFails(favorited(e -> ((ObjectNode) e.get("data")).remove("userId")), "userId");
        assertFails(favorited(e -> ((ObjectNode) e.get("data")).put("favoritesCount", "one")), "favoritesCount");
        assertFails(favorited(e -> ((ObjectNode) e.get("data")).put("likedBy", "anna")), "likedBy");
        assertFails(favorited(e -> e.put("aggregateVersion", 0)), "aggregateVersion");
        assertFails(favorited(e -> e.put("occurredAt", "yesterday")), "occurredAt");
        assertFails(favorited(e -> e.put("schemaVersion", 2)), "schemaVersion");
        assertFails(favorited(e -> e.put("type", "ArticleUnfavorited")), "type");
        assertFails(favorited(e -> e.remove("eventId")), "eventId");
        assertFails("not json", "JSON");
    }

    @Test
    void wrongOrMissingCloudEventsHeadersFail() {
        assertHeadersFail(h -> h.remove("ce_id"), "ce_id");
        assertHeadersFail(h -> h.put("ce_id", UUID.randomUUID().toString()), "ce_id");
        assertHeadersFail(h -> h.put("ce_specversion", "0.3"), "ce_specversion");
        assertHeadersFail(h -> h.put("ce_type", "ArticleFavorited"), "ce_type");
        assertHeadersFail(h -> h.put("ce_source", "/conduit/user-service"), "ce_source");
        assertHeadersFail(h -> h.put("ce_subject", "another"), "ce_subject");
        assertHeadersFail(h -> h.put("ce_time", "2026-01-01T10:00:01Z"), "ce_time");
        assertHeadersFail(h -> h.remove("content-type"), "content-type");
        assertHeadersFail(h -> h.remove("conduit-event-type"), "conduit-event-type");
        assertHeadersFail(h -> h.put("ce_dataschema", CloudEvents.dataSchema("ArticleFavorited", 2)), "ce_dataschema");
        assertHeadersFail(h -> h.put("ce_dataschema", CloudEvents.dataSchema("UserFollowed", 1)), "ce_dataschema");
        assertHeadersFail(h -> h.put("ce_dataschema", "https://example.org/schema.json"), "ce_dataschema");
        // a message of the same channel that the record does not match
        assertHeadersFail(h -> h.put("ce_dataschema", CloudEvents.dataSchema("ArticleUnfavorited", 1)), "ArticleUnfavorited");
        assertHeadersFail(h -> h.remove("ce_dataschema"), "ce_dataschema");
    }

    @Test
    void aTopicOutsideTheContractFails() {
        assertTrue(EventContract.violations("conduit.other", headers(h -> { }), favorited(e -> { })).get(0).contains("conduit.other"));
    }

    private static void assertFails(String value, String mentioned) {
        List<String> violations = EventContract.violations("conduit.posts", headers(h -> { }), value);
        assertTrue(violations.stream().anyMatch(v -> v.contains(mentioned)), mentioned + " not in " + violations);
    }

    private static void assertHeadersFail(Consumer<Map<String, String>> change, String mentioned) {
        List<String> violations = EventContract.violations("conduit.posts", headers(change), favorited(e -> { }));
        assertTrue(violations.stream().anyMatch(v -> v.contains(mentioned)), mentioned + " not in " + violations);
    }

    private static String favorited(Consumer<ObjectNode> change) {
        ObjectNode envelope = JSON.createObjectNode()
                .put("eventId", EVENT_ID).put("type", "ArticleFavorited").put("schemaVersion", 1)
                .put("aggregateId", "a1").put("aggregateVersion", 3).put("occurredAt", "2026-01-01T10:00:00.123456Z");
        envelope.putObject("data").put("articleId", "a1").put("userId", "u1").put("favoritesCount", 1);
        change.accept(envelope);
        return envelope.toString();
    }

    private static RecordHeaders headers(Consumer<Map<String, String>> change) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("conduit-event-type", "ArticleFavorited");
        headers.put("conduit-event-id", EVENT_ID);
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", EVENT_ID);
        headers.put("ce_type", "dev.conduit.ArticleFavorited");
        headers.put("ce_source", "/conduit/post-service");
        headers.put("ce_subject", "a1");
        headers.put("ce_datacontenttype", "application/json");
        headers.put("content-type", "application/json");
        headers.put("ce_dataschema", "urn:conduit:events#/components/messages/ArticleFavorited.v1");
        headers.put("ce_time", "2026-01-01T10:00:00.123456Z");
        change.accept(headers);
        RecordHeaders record = new RecordHeaders();
        headers.forEach((k, v) -> record.add(k, v.getBytes(StandardCharsets.UTF_8)));
        return record;
    }
}

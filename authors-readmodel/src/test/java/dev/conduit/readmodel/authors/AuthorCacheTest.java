package dev.conduit.readmodel.authors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.support.live.LiveRecord;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The author cache against an in-memory "read model" whose reads are counted: what is cached,
 * what an event evicts, what a fence keeps out, and that nothing is cached while the reader is not
 * following the topic.
 */
class AuthorCacheTest {

    private final Map<String, AuthorDocument> readModel = new HashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private AuthorCache cache;

    @BeforeEach
    void setUp() {
        cache = new AuthorCache(ids -> {
            queries.incrementAndGet();
            List<AuthorDocument> found = new ArrayList<>();
            ids.forEach(id -> {
                if (readModel.containsKey(id)) {
                    found.add(copy(readModel.get(id)));
                }
            });
            return Uni.createFrom().item(found);
        }, null, config(true), null, new ObjectMapper(), "conduit.users", now::get);
        cache.up();
    }

    @Test
    void aSecondAskIsAnsweredWithoutAQuery() {
        write("u1", 1, "first bio", null);
        assertEquals("first bio", cache.get("u1").await().indefinitely().bio);
        assertEquals("first bio", cache.get("u1").await().indefinitely().bio);
        assertEquals(1, queries.get());
    }

    @Test
    void aProfileEventEvictsSoTheNewBioIsAnswered() {
        write("u1", 1, "old bio", null);
        assertEquals("old bio", cache.get("u1").await().indefinitely().bio);
        write("u1", 2, "new bio", null);
        event("u1", 2);
        assertEquals("new bio", cache.get("u1").await().indefinitely().bio);
    }

    @Test
    void aDocumentOlderThanASeenEventAnswersButIsNotCached() {
        write("u1", 1, "old bio", null);
        event("u1", 2); // seen by the reader, not yet written by the consumer
        assertEquals("old bio", cache.get("u1").await().indefinitely().bio);
        assertEquals("old bio", cache.get("u1").await().indefinitely().bio);
        assertEquals(2, queries.get(), "the old document was cached");
        write("u1", 2, "new bio", null);
        assertEquals("new bio", cache.get("u1").await().indefinitely().bio);
        // caught up: cached again
        cache.get("u1").await().indefinitely();
        assertEquals(3, queries.get());
    }

    @Test
    void aLoadOvertakenByAnEventIsNotStored() {
        write("u1", 1, "old bio", null);
        AuthorCache[] racing = new AuthorCache[1];
        racing[0] = new AuthorCache(ids -> {
            AuthorDocument read = copy(readModel.get("u1"));
            // the event arrives while the query is under way
            write("u1", 2, "new bio", null);
            racing[0].changed("u1", 2);
            return Uni.createFrom().item(List.of(read));
        }, null, config(true), null, new ObjectMapper(), "conduit.users", now::get);
        racing[0].up();
        assertEquals("old bio", racing[0].get("u1").await().indefinitely().bio);
        assertEquals(0, racing[0].size(), "the document read before the event was cached");
    }

    @Test
    void aCredentialsChangeTakesEffectOnceItsEventIsApplied() {
        write("u1", 1, "bio", null);
        AuthorTokenCutoffs cutoffs = new AuthorTokenCutoffs(cache);
        assertNull(cutoffs.validAfter("u1").await().indefinitely());
        Instant cutoff = Instant.parse("2026-01-01T00:00:00Z");
        write("u1", 2, "bio", cutoff);
        cache.changed("u1", 2); // what AuthorDirectory.apply does after its write
        assertEquals(cutoff, cutoffs.validAfter("u1").await().indefinitely());
    }

    @Test
    void unknownUsersAreNotCachedAsMissing() {
        assertNull(cache.get("u1").await().indefinitely());
        write("u1", 1, "bio", null);
        assertEquals("bio", cache.get("u1").await().indefinitely().bio);
    }

    @Test
    void nothingIsCachedWhileTheReaderIsNotFollowing() {
        write("u1", 1, "bio", null);
        cache.get("u1").await().indefinitely();
        cache.readerStopped();
        cache.get("u1").await().indefinitely();
        cache.get("u1").await().indefinitely();
        assertEquals(3, queries.get());
        cache.up();
        cache.get("u1").await().indefinitely();
        cache.get("u1").await().indefinitely();
        assertEquals(4, queries.get());
    }

    @Test
    void entriesExpireAfterTheMaxAge() {
        write("u1", 1, "bio", null);
        cache.get("u1").await().indefinitely();
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        cache.get("u1").await().indefinitely();
        assertEquals(2, queries.get());
    }

    @Test
    void byIdsMixesHitsAndOneQueryForTheMisses() {
        write("u1", 1, "one", null);
        write("u2", 1, "two", null);
        cache.get("u1").await().indefinitely();
        Map<String, AuthorDocument> both = cache.get(Set.of("u1", "u2", "u3")).await().indefinitely();
        assertEquals(Set.of("u1", "u2"), both.keySet());
        assertEquals(2, queries.get());
    }

    @Test
    void anUnreadableRecordClearsEverything() {
        write("u1", 1, "bio", null);
        cache.get("u1").await().indefinitely();
        cache.offer(new LiveRecord(0, 0, "u1", "UserProfileChanged", "not json", null));
        cache.get("u1").await().indefinitely();
        assertEquals(2, queries.get());
    }

    @Test
    void cachingStartsOnlyOnceTheGroupAppliedWhatLiesBeforeTheReadersStart() {
        long[] start = {5, 0, 7};
        assertFalse(GroupProgress.caughtUp(start, p -> null));
        assertFalse(GroupProgress.caughtUp(start, p -> p == 0 ? 5L : 6L));
        assertTrue(GroupProgress.caughtUp(start, p -> p == 0 ? 5L : p == 1 ? null : 9L));
    }

    private void event(String id, long version) {
        cache.offer(new LiveRecord(0, 0, id, "UserProfileChanged",
                "{\"eventId\":\"e\",\"type\":\"UserProfileChanged\",\"aggregateId\":\"" + id + "\",\"aggregateVersion\":" + version
                        + ",\"data\":{}}", null));
    }

    private void write(String id, long version, String bio, Instant tokensValidAfter) {
        AuthorDocument doc = new AuthorDocument();
        doc.id = id;
        doc.username = "name-" + id;
        doc.bio = bio;
        doc.version = version;
        doc.tokensValidAfter = tokensValidAfter;
        readModel.put(id, doc);
    }

    private static AuthorDocument copy(AuthorDocument from) {
        AuthorDocument doc = new AuthorDocument();
        doc.id = from.id;
        doc.username = from.username;
        doc.bio = from.bio;
        doc.version = from.version;
        doc.tokensValidAfter = from.tokensValidAfter;
        return doc;
    }

    private static AuthorCacheConfig config(boolean enabled) {
        return new AuthorCacheConfig() {
            public boolean enabled() {
                return enabled;
            }

            public int maxSize() {
                return 100;
            }

            public Duration maxAge() {
                return Duration.ofSeconds(30);
            }

            public Duration fenceWindow() {
                return Duration.ofMinutes(10);
            }

            public int maxFences() {
                return 100;
            }

            public Duration retry() {
                return Duration.ofSeconds(1);
            }
        };
    }
}

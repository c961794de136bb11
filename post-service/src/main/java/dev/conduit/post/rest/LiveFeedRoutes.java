package dev.conduit.post.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.events.Topics;
import dev.conduit.events.post.ArticlePublished;
import dev.conduit.post.service.ArticleService;
import dev.conduit.readmodel.authors.AuthorDirectory;
import dev.conduit.support.error.ApiException;
import dev.conduit.support.live.CursorFormat;
import dev.conduit.support.live.LiveHub;
import dev.conduit.support.live.LiveRecord;
import dev.conduit.support.live.LiveStream;
import dev.conduit.support.live.SseEvent;
import dev.conduit.support.security.Caller;
import dev.conduit.support.security.Callers;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code GET /live/feed}: the signed-in caller's feed as Server-Sent Events, {@code event: article}
 * with {@code {"article":{...}}} as {@code GET /articles/feed} shows it to them, for every
 * {@code ArticlePublished} on {@code conduit.posts} whose author they follow at that moment (the
 * authors read model, so a follow or unfollow counts from the events after it reached post-service).
 * A plain Vert.x route, not Quarkus REST: it writes as the connection drains. 401 without a valid token.
 */
@ApplicationScoped
public class LiveFeedRoutes {

    static final String PATH = "/live/feed";

    private final LiveHub hub;
    private final ArticleService service;
    private final AuthorDirectory authors;
    private final ObjectMapper json;

    public LiveFeedRoutes(LiveHub hub, ArticleService service, AuthorDirectory authors, ObjectMapper json) {
        this.hub = hub;
        this.service = service;
        this.authors = authors;
        this.json = json;
    }

    void routes(@Observes Router router) {
        router.get(PATH).handler(this::feed);
    }

    private void feed(RoutingContext ctx) {
        hub.open(ctx, LiveHub.caller(ctx).map(caller -> new FeedStream(caller.orElseThrow(
                () -> ApiException.unauthorized(Callers.INVALID_TOKEN)))));
    }

    /** One caller's live feed. */
    private final class FeedStream implements LiveStream {

        private static final int REMEMBERED = 256;
        private final Caller caller;
        /** Event ids lately shown: the outbox delivers at least once, a client sees an article once. */
        private final LinkedHashSet<String> seen = new LinkedHashSet<>();

        FeedStream(Caller caller) {
            this.caller = caller;
        }

        @Override
        public String name() {
            return "feed";
        }

        @Override
        public String topic() {
            return Topics.POSTS;
        }

        @Override
        public CursorFormat cursorFormat(int partitions) {
            return CursorFormat.allPartitions();
        }

        @Override
        public boolean accepts(LiveRecord record) {
            return ArticlePublished.TYPE.equals(record.type());
        }

        @Override
        public Uni<List<SseEvent>> render(LiveRecord record) {
            JsonNode envelope;
            try {
                envelope = json.readTree(record.value() == null ? "{}" : record.value());
            } catch (JsonProcessingException e) {
                return Uni.createFrom().item(List.of());
            }
            String authorId = envelope.path("data").path("authorId").asText(null);
            String articleId = envelope.path("data").path("articleId").asText(null);
            if (authorId == null || articleId == null || !seen.add(envelope.path("eventId").asText())) {
                return Uni.createFrom().item(List.of());
            }
            if (seen.size() > REMEMBERED) {
                seen.remove(seen.iterator().next());
            }
            return authors.followingOf(caller.id()).chain(following -> !following.contains(authorId)
                    ? Uni.createFrom().item(List.<SseEvent>of())
                    : service.feedItem(articleId, caller).map(item -> item
                            .map(view -> List.of(new SseEvent("article", write(ArticleMapper.toListItem(view)))))
                            .orElse(List.of())));
        }

        private String write(Object value) {
            try {
                return json.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

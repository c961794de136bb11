package dev.conduit.comment.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.comment.service.ArticleLocator;
import dev.conduit.comment.service.CommentService;
import dev.conduit.events.Topics;
import dev.conduit.events.comment.CommentAdded;
import dev.conduit.events.comment.CommentDeleted;
import dev.conduit.support.live.CursorFormat;
import dev.conduit.support.live.LiveHub;
import dev.conduit.support.live.LiveRecord;
import dev.conduit.support.live.LiveStream;
import dev.conduit.support.live.SseEvent;
import dev.conduit.support.security.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /live/articles/{slug}/comments}: an article's new and deleted comments as
 * Server-Sent Events, from {@code conduit.comments} in topic order ({@code event: comment} with
 * {@code {"comment":{...}}} as {@code GET /articles/{slug}/comments} shows it to this caller,
 * {@code event: comment-deleted} with {@code {"id":N}}). A plain Vert.x route, not Quarkus REST:
 * it writes as the connection drains. Token optional; 404 for an article unknown here.
 */
@ApplicationScoped
public class LiveCommentRoutes {

    static final String PATH = "/live/articles/:slug/comments";

    private final LiveHub hub;
    private final ArticleLocator locator;
    private final CommentService service;
    private final ObjectMapper json;

    public LiveCommentRoutes(LiveHub hub, ArticleLocator locator, CommentService service, ObjectMapper json) {
        this.hub = hub;
        this.locator = locator;
        this.service = service;
        this.json = json;
    }

    void routes(@Observes Router router) {
        router.get(PATH).handler(this::comments);
    }

    private void comments(RoutingContext ctx) {
        String slug = ctx.pathParam("slug");
        hub.open(ctx, LiveHub.caller(ctx).chain(caller -> locator.bySlug(slug)
                .map(article -> new CommentStream(article.id, caller.orElse(null)))));
    }

    /** One subscriber's stream of one article. */
    private final class CommentStream implements LiveStream {

        private static final int REMEMBERED = 256;
        private final String articleId;
        private final Caller caller;
        /** Event ids lately shown: the outbox delivers at least once, a client sees a comment once. */
        private final LinkedHashSet<String> seen = new LinkedHashSet<>();

        CommentStream(String articleId, Caller caller) {
            this.articleId = articleId;
            this.caller = caller;
        }

        @Override
        public String name() {
            return "comments";
        }

        @Override
        public String topic() {
            return Topics.COMMENTS;
        }

        @Override
        public CursorFormat cursorFormat(int partitions) {
            return CursorFormat.ofKey(articleId, partitions);
        }

        @Override
        public boolean accepts(LiveRecord record) {
            return articleId.equals(record.key())
                    && (CommentAdded.TYPE.equals(record.type()) || CommentDeleted.TYPE.equals(record.type()));
        }

        @Override
        public Uni<List<SseEvent>> render(LiveRecord record) {
            JsonNode envelope = parse(record.value());
            String eventId = envelope.path("eventId").asText();
            if (!seen.add(eventId)) {
                return Uni.createFrom().item(List.of());
            }
            if (seen.size() > REMEMBERED) {
                seen.remove(seen.iterator().next());
            }
            long commentId = envelope.path("data").path("commentId").asLong();
            if (CommentDeleted.TYPE.equals(record.type())) {
                return Uni.createFrom().item(List.of(new SseEvent("comment-deleted", write(Map.of("id", commentId)))));
            }
            return service.view(commentId, caller).map(view -> view
                    .map(v -> List.of(new SseEvent("comment", write(new CommentResponse(CommentMapper.toComment(v))))))
                    .orElse(List.of()));
        }

        private JsonNode parse(String value) {
            try {
                return json.readTree(value == null ? "{}" : value);
            } catch (JsonProcessingException e) {
                return json.createObjectNode();
            }
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

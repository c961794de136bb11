package dev.conduit.comment.service;

import dev.conduit.comment.readmodel.ArticleDocument;
import dev.conduit.comment.CommentDocument;
import dev.conduit.comment.readmodel.ArticleRepository;
import dev.conduit.comment.repository.CommentRepository;
import dev.conduit.events.comment.CommentAdded;
import dev.conduit.events.comment.CommentDeleted;
import dev.conduit.support.error.ApiException;
import dev.conduit.support.mongo.StartupIndexes;
import dev.conduit.support.outbox.OutboxRelay;
import dev.conduit.support.outbox.PendingEvent;
import dev.conduit.support.outbox.PendingEvents;
import dev.conduit.readmodel.authors.AuthorDirectory;
import dev.conduit.readmodel.authors.AuthorDirectory.Author;
import dev.conduit.support.security.Caller;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The rules of comments: who may write and delete them, and what becomes of them with their article. */
@ApplicationScoped
public class CommentService {

    private static final Logger LOG = Logger.getLogger(CommentService.class);
    private static final int MAX_CASCADE_ROUNDS = 5;
    private static final int CASCADE_BATCH = 200;
    /** Draws of a comment id before giving up with a 503; one is enough unless the store misbehaves. */
    private static final int MAX_ID_ATTEMPTS = 5;

    private final CommentRepository comments;
    private final ArticleRepository articles;
    private final ArticleLocator locator;
    private final AuthorDirectory authors;
    private final OutboxRelay relay;
    private final PendingEvents events;
    private final CommentPages pages;

    public CommentService(CommentRepository comments, ArticleRepository articles, ArticleLocator locator,
                          AuthorDirectory authors, OutboxRelay relay, PendingEvents events, CommentPages pages) {
        this.comments = comments;
        this.articles = articles;
        this.locator = locator;
        this.authors = authors;
        this.relay = relay;
        this.events = events;
        this.pages = pages;
    }

    void createIndexes(@Observes StartupEvent event, StartupIndexes indexes) {
        indexes.ensure("comments", () -> comments.createIndexes().chain(articles::createIndexes));
    }

    /** A comment as the caller (if any) sees it: its author's public profile and whether the caller follows them. */
    public record CommentView(CommentDocument comment, Author author, boolean following) {
    }

    /**
     * One page of an article's comments, oldest first. The article's {@code commentsVersion} comes
     * with it, read before the page: a page cached under that version is the page now
     * ({@link CommentPages}), so in steady state finding the article is the one query.
     */
    public Uni<List<CommentView>> list(String slug, Caller caller, int offset, int limit) {
        if (limit == 0) {
            return locator.bySlug(slug).map(article -> List.of());
        }
        return locator.bySlug(slug)
                .chain(article -> pages.page(article.id, article.commentsVersion, offset, limit,
                        () -> comments.listLive(article.id, offset, limit)))
                .chain(found -> views(found, caller));
    }

    /** One comment as the caller sees it, for a live stream; empty when it is gone (deleted meanwhile). */
    public Uni<Optional<CommentView>> view(long commentId, Caller caller) {
        return comments.findById(commentId).chain(comment -> comment == null || comment.deleted
                ? Uni.createFrom().item(Optional.<CommentView>empty())
                : views(List.of(comment), caller).map(views -> Optional.of(views.get(0))));
    }

    public Uni<CommentView> add(String slug, Caller caller, String body) {
        return locator.bySlug(slug)
                .chain(article -> store(article, caller, body, 1))
                .invoke(comment -> relay.publishNewSoon(comment.id, comment.pendingEvents))
                .call(comment -> commentsChanged(comment.articleId))
                .chain(this::unlessArticleWentMeanwhile)
                .chain(comment -> views(List.of(comment), caller))
                .map(views -> views.get(0));
    }

    /**
     * Inserts the comment and its {@code CommentAdded} in one document under a fresh id. An id that
     * is taken already (a sequence behind restored data, or a store whose increments are not
     * atomic) failed the insert as a whole, so nothing was written: a new id, with its own event,
     * is drawn, a bounded number of times.
     */
    private Uni<CommentDocument> store(ArticleDocument article, Caller caller, String body, int attempt) {
        return comments.nextId()
                .chain(id -> comments.persist(newComment(id, article, caller, body)))
                .onFailure(CommentRepository::isDuplicateId).recoverWithUni(taken -> {
                    if (attempt >= MAX_ID_ATTEMPTS) {
                        LOG.warnf("no free comment id after %d draws: %s", attempt, taken.getMessage());
                        return Uni.createFrom().failure(
                                new ApiException(503, "the comment could not be stored right now, try again"));
                    }
                    return store(article, caller, body, attempt + 1);
                });
    }

    private CommentDocument newComment(long id, ArticleDocument article, Caller caller, String body) {
        CommentDocument comment = new CommentDocument();
        comment.id = id;
        comment.articleId = article.id;
        comment.authorId = caller.id();
        comment.authorUsername = caller.username();
        comment.body = body;
        comment.createdAt = Instant.now();
        comment.updatedAt = comment.createdAt;
        comment.version = 1;
        // keyed by the article: one article's comment events stay in one partition, in order
        comment.pendingEvents.add(events.of(new CommentAdded(id, article.id, caller.id(), body), 1).keyedBy(article.id));
        comment.relayLease = relay.newLease();
        return comment;
    }

    public Uni<Void> delete(String slug, Caller caller, long commentId) {
        return locator.bySlug(slug)
                .chain(article -> comments.findById(commentId).map(comment -> {
                    if (comment == null || comment.deleted || !article.id.equals(comment.articleId)) {
                        throw ApiException.notFound("comment");
                    }
                    if (!comment.authorId.equals(caller.id())) {
                        throw ApiException.forbidden("only the author may delete this comment");
                    }
                    return comment;
                }))
                .chain(comment -> comments.markDeleted(comment.id, comment.version, deletedEvent(comment))
                        .chain(applied -> {
                            if (!applied) {
                                // it went first: deleted by a racing request or with its article
                                throw ApiException.notFound("comment");
                            }
                            relay.publishSoon(comment.id);
                            return commentsChanged(comment.articleId);
                        }));
    }

    /**
     * Deletes every live comment of {@code articleId}, each with its {@code CommentDeleted} event.
     * Safe to repeat: a redelivered {@code ArticleDeleted} finds nothing left to do.
     */
    public Uni<Void> deleteAllOf(String articleId) {
        return cascade(articleId, 1);
    }

    /** Batch by batch, so memory stays bounded however many comments the article had. */
    private Uni<Void> cascade(String articleId, int round) {
        return comments.listLive(articleId, 0, CASCADE_BATCH).chain(live -> {
            if (live.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return Multi.createFrom().iterable(live)
                    .onItem().transformToUniAndConcatenate(comment ->
                            comments.markDeleted(comment.id, comment.version, deletedEvent(comment))
                                    .invoke(applied -> {
                                        if (applied) {
                                            relay.publishSoon(comment.id);
                                        }
                                    }))
                    .collect().asList()
                    .call(() -> commentsChanged(articleId))
                    .chain(results -> {
                        if (!results.contains(false)) {
                            // this batch is gone: the next one, until none is left
                            return cascade(articleId, round);
                        }
                        if (round >= MAX_CASCADE_ROUNDS) {
                            return Uni.createFrom().failure(new IllegalStateException(
                                    "comments of article " + articleId + " kept changing during the cascade"));
                        }
                        // a comment changed under us (a racing delete): look again
                        return cascade(articleId, round + 1);
                    });
        });
    }

    /**
     * A comment stored while its article's {@code ArticleDeleted} was being applied could miss the
     * cascade: the comment is written first and the article checked after, and the cascade marks the
     * article before it looks for comments, so one of the two always sees the other.
     */
    private Uni<CommentDocument> unlessArticleWentMeanwhile(CommentDocument comment) {
        return articles.findById(comment.articleId).chain(article -> {
            if (article != null && !article.deleted) {
                return Uni.createFrom().item(comment);
            }
            return comments.markDeleted(comment.id, comment.version, deletedEvent(comment))
                    .invoke(applied -> relay.publishSoon(comment.id))
                    .call(() -> commentsChanged(comment.articleId))
                    .chain(() -> Uni.createFrom().failure(ApiException.notFound("article")));
        });
    }

    /**
     * After every comment write, before its answer: the article's {@code commentsVersion} moves on,
     * so no instance answers a page cached before the write ({@link CommentPages}).
     */
    private Uni<Void> commentsChanged(String articleId) {
        return articles.bumpComments(articleId).onFailure().invoke(e -> pages.forget(articleId));
    }

    private Uni<List<CommentView>> views(List<CommentDocument> found, Caller caller) {
        Set<String> authorIds = new HashSet<>();
        Map<String, String> fallbackNames = new HashMap<>();
        for (CommentDocument c : found) {
            authorIds.add(c.authorId);
            fallbackNames.putIfAbsent(c.authorId, c.authorUsername);
        }
        Uni<List<String>> following = caller == null ? Uni.createFrom().item(List.of()) : authors.followingOf(caller.id());
        return Uni.combine().all().unis(authors.byIds(authorIds, caller, fallbackNames), following).asTuple()
                .map(t -> {
                    Set<String> followed = Set.copyOf(t.getItem2());
                    return found.stream()
                            .map(c -> new CommentView(c, t.getItem1().get(c.authorId), followed.contains(c.authorId)))
                            .toList();
                });
    }

    /** Keyed by the article, like every comment event. */
    private PendingEvent deletedEvent(CommentDocument comment) {
        return events.of(new CommentDeleted(comment.id, comment.articleId, comment.authorId), comment.version + 1)
                .keyedBy(comment.articleId);
    }
}

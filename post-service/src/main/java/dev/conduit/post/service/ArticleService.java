package dev.conduit.post.service;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.conduit.events.post.ArticleDeleted;
import dev.conduit.events.post.ArticleFavorited;
import dev.conduit.events.post.ArticlePublished;
import dev.conduit.events.post.ArticleUnfavorited;
import dev.conduit.events.post.ArticleUpdated;
import dev.conduit.post.ArticleDocument;
import dev.conduit.post.client.UserServiceClient;
import dev.conduit.post.config.PostConfig;
import dev.conduit.post.favorite.FavoriteRepository;
import dev.conduit.post.repository.ArticleRepository;
import dev.conduit.support.error.ApiException;
import dev.conduit.support.mongo.StartupIndexes;
import dev.conduit.support.outbox.OptimisticChange;
import dev.conduit.support.outbox.OptimisticChange.Change;
import dev.conduit.support.outbox.OutboxRelay;
import dev.conduit.support.outbox.PendingEvent;
import dev.conduit.support.outbox.PendingEvents;
import dev.conduit.readmodel.authors.AuthorDirectory;
import dev.conduit.support.security.Caller;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CacheResult;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** The rules of articles, the feed, favorites and tags. */
@ApplicationScoped
public class ArticleService {

    /** Bounded optimistic retries; under contention each round lets at least one writer through. */
    private static final int MAX_ATTEMPTS = 64;
    private static final int SLUG_ATTEMPTS = 5;
    static final String POPULAR_TAGS = "popular-tags";

    private final ArticleRepository articles;
    private final AuthorDirectory authors;
    private final OutboxRelay relay;
    private final PendingEvents events;
    private final UserServiceClient userService;
    private final Cache popularTags;
    private final FavoriteRepository favorites;
    private final int popularTagCount;

    public ArticleService(ArticleRepository articles, AuthorDirectory authors, OutboxRelay relay, PendingEvents events,
            UserServiceClient userService, @CacheName(POPULAR_TAGS) Cache popularTags, PostConfig config,
            FavoriteRepository favorites) {
        this.articles = articles;
        this.authors = authors;
        this.relay = relay;
        this.events = events;
        this.userService = userService;
        this.popularTags = popularTags;
        this.favorites = favorites;
        this.popularTagCount = config.popularTags();
    }

    void createIndexes(@Observes StartupEvent event, StartupIndexes indexes) {
        indexes.ensure("posts", articles::createIndexes);
        indexes.ensure("favorites", favorites::createIndexes);
    }

    /** An article as one reader sees it. */
    public record ArticleView(ArticleDocument article, AuthorDirectory.Author author, boolean favorited, boolean following) {
    }

    public record PageView(List<ArticleView> articles, long total) {
    }

    /** The list filters of {@code GET /articles}; null means "no filter". */
    public record Filter(String tag, String author, String favorited) {
    }

    public Uni<PageView> list(Filter filter, int offset, int limit, Caller caller) {
        List<Uni<Optional<Bson>>> parts = new ArrayList<>();
        if (filter.tag() != null) {
            parts.add(Uni.createFrom().item(Optional.of(Filters.eq("tagList", filter.tag()))));
        }
        if (filter.author() != null) {
            parts.add(authorIds(filter.author(), caller).map(ids -> ids.isEmpty() ? Optional.empty()
                    : Optional.of(ids.size() == 1 ? Filters.eq("authorId", ids.get(0)) : Filters.in("authorId", ids))));
        }
        if (filter.favorited() != null) {
            parts.add(userId(filter.favorited(), caller).chain(id -> id.isEmpty() ? Uni.createFrom().item(Optional.<Bson>empty())
                    : favorites.articlesOf(id.get()).map(ids -> ids.isEmpty() ? Optional.<Bson>empty()
                            : Optional.of(Filters.in("_id", ids.stream().map(ObjectId::new).toList())))));
        }
        if (parts.isEmpty()) {
            return page(Filters.empty(), offset, limit, caller);
        }
        return Uni.join().all(parts).andFailFast().chain(resolved -> {
            if (resolved.stream().anyMatch(Optional::isEmpty)) {
                // a filter naming nobody matches nothing
                return Uni.createFrom().item(new PageView(List.of(), 0));
            }
            return page(Filters.and(resolved.stream().map(Optional::get).toList()), offset, limit, caller);
        });
    }

    public Uni<PageView> feed(Caller caller, int offset, int limit) {
        return following(caller).chain(following -> following.isEmpty()
                ? Uni.createFrom().item(new PageView(List.of(), 0))
                : page(Filters.in("authorId", following), offset, limit, caller, following));
    }

    /**
     * A newly published article as it shows in the feed of {@code caller}, who follows its author
     * (the live feed checked): empty when the article is gone or the id is no article's.
     */
    public Uni<Optional<ArticleView>> feedItem(String articleId, Caller caller) {
        if (!ObjectId.isValid(articleId)) {
            return Uni.createFrom().item(Optional.empty());
        }
        return articles.findById(new ObjectId(articleId)).chain(article -> article == null || article.deleted
                ? Uni.createFrom().item(Optional.<ArticleView>empty())
                : views(List.of(article), caller, Set.of(article.authorId)).map(list -> Optional.of(list.get(0))));
    }

    public Uni<ArticleView> get(String slug, Caller caller) {
        return find(slug).chain(article -> view(article, caller));
    }

    public record Draft(String title, String description, String body, List<String> tagList) {
    }

    public Uni<ArticleView> create(Caller caller, Draft draft) {
        ArticleDocument article = new ArticleDocument();
        article.id = new ObjectId();
        article.title = draft.title().trim();
        article.description = draft.description().trim();
        article.body = draft.body();
        article.tagList = tags(draft.tagList());
        article.authorId = caller.id();
        article.authorUsername = caller.username();
        article.authorUsernameKey = key(caller.username());
        article.createdAt = ArticleRepository.now();
        article.updatedAt = article.createdAt;
        article.version = 1;
        // no read for a free slug first: the unique index decides, and a taken slug costs one refused insert
        String base = Slugs.of(article.title);
        return insert(article, Slugs.isReserved(base) ? Slugs.withSuffix(base) : base, 1)
                .invoke(saved -> relay.publishNewSoon(saved.id, saved.pendingEvents))
                .call(saved -> saved.tagList.isEmpty() ? Uni.createFrom().voidItem() : popularTags.invalidateAll())
                // the author's own new article: nobody follows themselves, nobody has favorited it yet
                .chain(saved -> views(List.of(saved), caller, Set.of(), false).map(list -> list.get(0)));
    }

    /**
     * Inserts with {@code slug}; a racing article that took it first makes us take a suffixed one.
     * The refused insert wrote nothing, so the article and its {@code ArticlePublished} are stored
     * once, under the slug that won.
     */
    private Uni<ArticleDocument> insert(ArticleDocument article, String slug, int attempt) {
        article.slug = slug;
        article.pendingEvents = new ArrayList<>(List.of(published(article)));
        article.relayLease = relay.newLease();
        return articles.persist(article)
                .onFailure(ArticleRepository::isDuplicateSlug).recoverWithUni(taken -> attempt < SLUG_ATTEMPTS
                        ? insert(article, Slugs.withSuffix(Slugs.of(article.title)), attempt + 1)
                        : Uni.createFrom().failure(slugConflict()));
    }

    public Uni<ArticleView> update(Caller caller, String slug, Draft changes) {
        return find(slug).chain(found -> {
            requireAuthor(found, caller);
            String newTitle = changes.title() == null ? found.title : changes.title().trim();
            Uni<String> newSlug = Slugs.of(newTitle).equals(Slugs.of(found.title)) ? Uni.createFrom().item(found.slug)
                    : freeSlug(Slugs.of(newTitle), found.id);
            return newSlug.chain(free -> {
                // a racing article that takes this slug first makes the next round take a suffixed one
                AtomicReference<String> target = new AtomicReference<>(free);
                return change(found.id, article -> edit(article, changes, target.get()),
                        () -> target.set(Slugs.withSuffix(Slugs.of(newTitle))));
            }).call(article -> article.tagList.equals(found.tagList) ? Uni.createFrom().voidItem() : popularTags.invalidateAll());
        }).chain(article -> view(article, caller));
    }

    /** What {@code changes} do to {@code article}, under {@code newSlug} if the title changes; null for nothing. */
    private Change edit(ArticleDocument article, Draft changes, String newSlug) {
        String title = changes.title() == null ? article.title : changes.title().trim();
        String description = changes.description() == null ? article.description : changes.description().trim();
        String body = changes.body() == null ? article.body : changes.body();
        List<String> tags = changes.tagList() == null ? article.tagList : tags(changes.tagList());
        String slugNow = title.equals(article.title) ? article.slug : newSlug;
        if (title.equals(article.title) && description.equals(article.description) && body.equals(article.body)
                && tags.equals(article.tagList)) {
            return null;
        }
        List<Bson> updates = List.of(Updates.set("title", title), Updates.set("slug", slugNow),
                Updates.set("description", description), Updates.set("body", body), Updates.set("tagList", tags),
                Updates.set("updatedAt", ArticleRepository.now()));
        ArticleUpdated updated = new ArticleUpdated(article.id.toHexString(), slugNow, title, description, tags, article.authorId);
        return new Change(updates, events.of(updated, article.version + 1));
    }

    public Uni<Void> delete(Caller caller, String slug) {
        return find(slug).chain(found -> {
            requireAuthor(found, caller);
            return change(found.id, article -> new Change(
                    List.of(Updates.set("deleted", true), Updates.set("slug", "deleted:" + article.id.toHexString()),
                            Updates.set("updatedAt", ArticleRepository.now())),
                    events.of(new ArticleDeleted(article.id.toHexString(), article.slug, article.authorId),
                            article.version + 1)), null);
        }).call(deleted -> favorites.deleteAllOf(deleted.id.toHexString()))
                .call(() -> popularTags.invalidateAll()).replaceWithVoid();
    }

    public Uni<ArticleView> favorite(Caller caller, String slug) {
        return setFavorite(caller, slug, true);
    }

    public Uni<ArticleView> unfavorite(Caller caller, String slug) {
        return setFavorite(caller, slug, false);
    }

    /**
     * Favorites live in their own collection ({@code favorites}), so a popular article's document
     * stays small. Two writes, each atomic: the relation changes (once, whoever races), then the
     * article gets the new count and the event. A crash between them leaves the relation pending,
     * and {@link #announceStragglers} finishes it; a repeated favorite changes nothing.
     */
    private Uni<ArticleView> setFavorite(Caller caller, String slug, boolean active) {
        return find(slug).chain(found -> favorites.set(found.id.toHexString(), caller.id(), active)
                        .chain(changedAt -> changedAt == null ? Uni.createFrom().item(found)
                                : announce(found.id, caller.id(), active, changedAt)))
                .chain(article -> view(article, caller));
    }

    /** The article read and, after it, how many favorite it: a count read after the version it will replace. */
    private record Counted(ArticleDocument article, long favorites) {
    }

    /**
     * Puts a favorite change on its article: the count recounted from {@code favorites} and the
     * event, in one versioned write. The count is read after the article's version, so a write
     * decided on it includes every change announced before it; a change that lands meanwhile makes
     * the write lose the version race and be decided again.
     */
    private Uni<ArticleDocument> announce(ObjectId id, String userId, boolean active, Instant changedAt) {
        String articleId = id.toHexString();
        return OptimisticChange.<Counted>apply(
                        () -> articles.findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("article"))
                                .chain(article -> favorites.count(articleId).map(n -> new Counted(article, n))),
                        counted -> {
                            ArticleDocument article = counted.article();
                            if (article.deleted) {
                                throw ApiException.notFound("article");
                            }
                            long n = counted.favorites();
                            return new Change(List.of(Updates.set("favoritesCount", n)), active
                                    ? events.of(new ArticleFavorited(articleId, userId, n), article.version + 1)
                                    : events.of(new ArticleUnfavorited(articleId, userId, n), article.version + 1));
                        },
                        (counted, change) -> articles.update(id, counted.article().version, change.updates(), change.event(), null)
                                .invoke(applied -> {
                                    if (applied) {
                                        relay.publishSoon(id);
                                    }
                                }),
                        MAX_ATTEMPTS, "the article changed concurrently, try again")
                .call(() -> favorites.announced(articleId, userId, changedAt))
                .map(Counted::article);
    }

    /**
     * Finishes the favorite changes a crash left between their two writes (pending for longer than a
     * request can take): each is announced on its article, or dropped with a deleted article.
     */
    public Uni<Void> announceStragglers() {
        return favorites.stragglers(Instant.now().minusSeconds(30), 100)
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(f -> announce(new ObjectId(f.articleId), f.userId, f.active, f.changedAt)
                        .replaceWithVoid()
                        .onFailure(ApiException.class).recoverWithUni(gone -> favorites.deleteAllOf(f.articleId)))
                .collect().last().replaceWithVoid();
    }

    /** The most used tags, most used first; cached (see {@code PostConfig.popularTags}). */
    @CacheResult(cacheName = POPULAR_TAGS)
    public Uni<List<String>> tags() {
        return articles.popularTags(popularTagCount);
    }

    /**
     * For other services (trending-service hydrates its ranking): the live articles among
     * {@code ids} as the caller sees them, in the order given; deleted and unknown ids are left out.
     */
    public Uni<PageView> byIds(List<ObjectId> ids, Caller caller) {
        return articles.liveByIds(ids).chain(found -> {
            Map<ObjectId, ArticleDocument> byId = new HashMap<>();
            found.forEach(a -> byId.put(a.id, a));
            List<ArticleDocument> ordered = ids.stream().distinct().map(byId::get).filter(Objects::nonNull).toList();
            return views(ordered, caller, null).map(views -> new PageView(views, views.size()));
        });
    }

    /** For other services: the article behind a slug, by id, or a 404. */
    public Uni<ArticleDocument> reference(String slug) {
        return find(slug);
    }

    /**
     * A change of one article, decided on the version read and retried on a concurrent change.
     * {@code slugTaken} (null when the change sets no new slug) picks another slug when a racing
     * article took the one the change wanted; the change is then decided again.
     */
    private Uni<ArticleDocument> change(ObjectId id, Function<ArticleDocument, Change> decide, Runnable slugTaken) {
        return OptimisticChange.apply(
                // a deleted article is still read (a delete answers with it), but never changed
                () -> articles.findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("article")),
                article -> {
                    if (article.deleted) {
                        throw ApiException.notFound("article");
                    }
                    return decide.apply(article);
                },
                (article, change) -> articles.update(id, article.version, change.updates(), change.event(), change.guard())
                        .onFailure(ArticleRepository::isDuplicateSlug).recoverWithUni(taken -> {
                            if (slugTaken == null) {
                                return Uni.createFrom().failure(slugConflict());
                            }
                            slugTaken.run();
                            return Uni.createFrom().item(false);
                        })
                        .invoke(applied -> {
                            if (applied) {
                                relay.publishSoon(id);
                            }
                        }),
                MAX_ATTEMPTS, "the article changed concurrently, try again");
    }

    private Uni<PageView> page(Bson filter, int offset, int limit, Caller caller) {
        return page(filter, offset, limit, caller, null);
    }

    /** {@code following}: whom the caller follows, when already known; null to look it up (if there are articles). */
    private Uni<PageView> page(Bson filter, int offset, int limit, Caller caller, Set<String> following) {
        return articles.page(filter, offset, limit).chain(page -> views(page.articles(), caller, following)
                .map(views -> new PageView(views, page.total())));
    }

    private Uni<ArticleView> view(ArticleDocument article, Caller caller) {
        return views(List.of(article), caller, null).map(list -> list.get(0));
    }

    private Uni<List<ArticleView>> views(List<ArticleDocument> list, Caller caller, Set<String> knownFollowing) {
        return views(list, caller, knownFollowing, true);
    }

    private Uni<List<ArticleView>> views(List<ArticleDocument> list, Caller caller, Set<String> knownFollowing,
                                         boolean mayBeFavorited) {
        if (list.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<String, String> recordedNames = new HashMap<>();
        list.forEach(a -> recordedNames.put(a.authorId, a.authorUsername));
        Uni<Map<String, AuthorDirectory.Author>> byId = authors.byIds(recordedNames.keySet(), caller, recordedNames);
        Uni<Set<String>> following = caller == null ? Uni.createFrom().item(Set.of())
                : knownFollowing != null ? Uni.createFrom().item(knownFollowing) : following(caller);
        // reads never load favoritedBy (it grows with the article's popularity): ask for this reader only
        Uni<Set<String>> favorited = caller == null || !mayBeFavorited ? Uni.createFrom().item(Set.of())
                : favorites.favoritedAmong(list.stream().map(a -> a.id.toHexString()).toList(), caller.id());
        return Uni.combine().all().unis(byId, following, favorited).asTuple().map(t -> list.stream().map(a -> new ArticleView(a,
                t.getItem1().get(a.authorId),
                t.getItem3().contains(a.id.toHexString()),
                t.getItem2().contains(a.authorId))).toList());
    }

    /**
     * The ids an author filter names: the read model's current holder of the name; else the
     * caller, if it is their name; else the authors whose articles recorded that name and whom the
     * read model does not know under another name yet.
     */
    private Uni<List<String>> authorIds(String username, Caller caller) {
        return authors.idOf(username).chain(id -> {
            if (id.isPresent()) {
                return Uni.createFrom().item(List.of(id.get()));
            }
            if (caller != null && caller.username() != null && caller.username().equalsIgnoreCase(username)) {
                return Uni.createFrom().item(List.of(caller.id()));
            }
            return articles.authorIdsByRecordedName(key(username)).chain(ids -> authors.byIds(ids, null, Map.of())
                    .map(known -> ids.stream().filter(i -> known.get(i).username() == null).toList()));
        });
    }

    private Uni<Optional<String>> userId(String username, Caller caller) {
        return authors.idOf(username).map(id -> id.isPresent() ? id
                : Optional.ofNullable(caller != null && caller.username() != null && caller.username().equalsIgnoreCase(username)
                        ? caller.id() : null));
    }

    /**
     * Whom the caller follows: user-service's answer, which includes a follow made a moment ago,
     * or the read model's when user-service does not answer in time. One call per request at most.
     */
    private Uni<Set<String>> following(Caller caller) {
        return userService.following(caller.id()).chain(answer -> answer.isPresent() ? Uni.createFrom().item(answer.get())
                : authors.followingOf(caller.id()).map(Set::copyOf));
    }

    private Uni<ArticleDocument> find(String slug) {
        return articles.findBySlug(slug).onItem().ifNull().failWith(() -> ApiException.notFound("article"));
    }

    /** {@code base} if no other article has it and no route, else a suffixed variant; the unique index decides races. */
    private Uni<String> freeSlug(String base, ObjectId self) {
        if (Slugs.isReserved(base)) {
            return Uni.createFrom().item(Slugs.withSuffix(base));
        }
        return articles.findBySlug(base).map(other -> other == null || other.id.equals(self) ? base : Slugs.withSuffix(base));
    }

    private static ApiException slugConflict() {
        return new ApiException(409, "another article took this title's slug just now, try again");
    }

    private static void requireAuthor(ArticleDocument article, Caller caller) {
        if (!Objects.equals(article.authorId, caller.id())) {
            throw ApiException.forbidden("only the author may change this article");
        }
    }

    /** Trimmed, de-duplicated and sorted: RealWorld clients expect a sorted tagList. */
    static List<String> tags(List<String> tags) {
        if (tags == null) {
            return new ArrayList<>();
        }
        TreeSet<String> clean = new TreeSet<>();
        tags.stream().map(String::trim).filter(t -> !t.isEmpty()).forEach(clean::add);
        return new ArrayList<>(clean);
    }

    private PendingEvent published(ArticleDocument a) {
        return events.of(new ArticlePublished(a.id.toHexString(), a.slug, a.title, a.description, a.tagList, a.authorId),
                1);
    }

    private static String key(String username) {
        return username == null ? null : username.toLowerCase(Locale.ROOT);
    }
}

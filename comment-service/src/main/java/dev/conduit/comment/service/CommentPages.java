package dev.conduit.comment.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import dev.conduit.comment.CommentDocument;
import dev.conduit.comment.config.CommentConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.function.Supplier;

/**
 * Pages of an article's live comments this instance read lately, each with the article's
 * {@code commentsVersion} read <em>before</em> the page was listed; a page is used only while the
 * version read for the request is the same. The version is in MongoDB (the articles read model),
 * so every replica checks against the same counter, and reading it costs nothing extra: the request
 * finds the article by slug anyway.
 * <p>
 * Why this is read-your-writes: every comment write (add, delete, the cascade of a deleted article,
 * the undo of a comment whose article went meanwhile) increments the version after the comment is
 * written and before the request answers (or the record is acknowledged). A page cached under
 * version V was listed after V was read, so it contains every write counted in V. A request that
 * reads V again (the counter only grows) was not preceded by any other completed write: a write
 * that answered before the request started has incremented past V, so the request sees a newer
 * version and lists again. A write not yet counted has not answered yet and may or may not show,
 * as without the cache. A slow reader storing an older page late cannot hide a newer one: the
 * higher version is kept, and a mismatch is a miss, never a stale hit.
 * <p>
 * If the increment fails after the write (MongoDB away), the request fails, this instance forgets
 * the article's pages, and {@code max-age} bounds what other instances may show.
 */
@ApplicationScoped
public class CommentPages {

    private record Key(String articleId, int offset, int limit) {
    }

    private record Page(long commentsVersion, List<CommentDocument> comments) {
    }

    /** What a comment costs besides its body (ids, author, dates), in characters. */
    private static final int PER_COMMENT = 200;

    private final boolean enabled;
    private final Cache<Key, Page> pages;
    /**
     * Hits and misses as this class decides them: a page of an older version is a miss (the page is
     * listed again), though Caffeine would count finding it as a hit; evictions as Caffeine counts them.
     */
    private final StatsCounter stats = new ConcurrentStatsCounter();

    public CommentPages(CommentConfig config) {
        this.enabled = config.pageCache().enabled();
        this.pages = Caffeine.newBuilder()
                .maximumWeight(config.pageCache().maxChars())
                .weigher((Key key, Page page) -> page.comments().stream()
                        .mapToInt(c -> PER_COMMENT + (c.body == null ? 0 : c.body.length())).sum() + PER_COMMENT)
                .expireAfterWrite(config.pageCache().maxAge())
                .recordStats(() -> stats)
                .build();
    }

    /**
     * Hits, misses, evictions and size on /q/metrics ({@code cache_gets_total{cache="comment-pages"}}
     * and the rest of Micrometer's Caffeine binder): how many comment lists the pages answered.
     */
    void bindMetrics(@Observes StartupEvent event, MeterRegistry registry) {
        CaffeineCacheMetrics.monitor(registry, pages, "comment-pages");
    }

    /**
     * The page at {@code offset, limit} of the article's live comments: the cached one when it was
     * listed under {@code commentsVersion}, else {@code list}'s answer, cached under that version.
     */
    public Uni<List<CommentDocument>> page(String articleId, long commentsVersion, int offset, int limit,
                                           Supplier<Uni<List<CommentDocument>>> list) {
        if (!enabled) {
            return list.get();
        }
        Key key = new Key(articleId, offset, limit);
        Page cached = pages.asMap().get(key); // counts nothing: hit or miss is decided here
        if (cached != null && cached.commentsVersion() == commentsVersion) {
            stats.recordHits(1);
            return Uni.createFrom().item(cached.comments());
        }
        stats.recordMisses(1);
        return list.get().invoke(found -> pages.asMap().compute(key, (k, old) ->
                old != null && old.commentsVersion() > commentsVersion ? old : new Page(commentsVersion, List.copyOf(found))));
    }

    /** Forgets every page of the article held here (a write whose increment failed). */
    public void forget(String articleId) {
        pages.asMap().keySet().removeIf(key -> key.articleId().equals(articleId));
    }
}

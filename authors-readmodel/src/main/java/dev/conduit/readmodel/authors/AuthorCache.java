package dev.conduit.readmodel.authors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import dev.conduit.events.Topics;
import dev.conduit.support.live.LiveHub;
import dev.conduit.support.live.LiveRecord;
import dev.conduit.support.live.TailListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The author documents this instance read lately, so that an article view, a comments page and
 * every authenticated request's token cut-off do not each ask MongoDB. The read model changes only
 * through {@code conduit.users}, and every instance hears every change itself: it follows the topic
 * through its own group-less reader ({@link LiveHub#follow}, all partitions, from the end), however
 * the consumer group spreads the applying over the replicas.
 * <p>
 * Correctness, not just freshness:
 * <ul>
 * <li>An event seen by the reader evicts its user and leaves a <em>fence</em>, its version: a
 * document read from MongoDB below that version (the consumer, maybe in another replica, has not
 * written the event yet) answers that one request but is not cached. Eviction, fence and store of a
 * user are one atomic step ({@code compute} on its key), so a load racing with an event cannot slip
 * an old document in after the eviction. The instance whose consumer applies an event evicts again
 * after its write ({@link #changed}).</li>
 * <li>While the reader is not following (starting, Kafka unreachable at start, stopped), nothing is
 * cached; nor until the read model's consumer group has committed every record before the
 * reader's start ({@link GroupProgress}: an event just before it, not applied yet, would never be
 * seen by the reader). Each (re)start begins a new epoch: entries of an older epoch are never used, and a load
 * begun in one is not stored in another, so no entry outlives an event this instance may have missed.</li>
 * <li>Entries expire after {@code conduit.authors.cache.max-age} anyway (the safety net); an unknown
 * user is never cached as missing.</li>
 * </ul>
 * What remains: fences are kept for {@code fence-window}; a read-model consumer lagging further than
 * that behind this reader could have an old document cached, for at most {@code max-age}. The
 * reader evicts when it receives an event, before the consumer that applies it has written anything,
 * so a password change takes effect here no later than in the read model (see
 * {@link AuthorTokenCutoffs}).
 * <p>
 * Caffeine (the maintained {@code quarkus-caffeine} extension, native-ready) rather than a small
 * LRU of our own: size bound with a good hit ratio, expiry, and the atomic per-key {@code compute}
 * the fences rely on, without locking the whole cache on every request.
 */
@ApplicationScoped
public class AuthorCache implements TailListener {

    private static final Logger LOG = Logger.getLogger(AuthorCache.class);

    /** One cached document, the epoch it was loaded in and when (ticks): its age is checked on use, whatever the cache's expiry does. */
    private record Entry(AuthorDocument author, long epoch, long loadedAt) {
    }

    private final Function<Set<String>, Uni<List<AuthorDocument>>> loader;
    private final GroupProgress progress;
    private final AuthorCacheConfig config;
    private final LiveHub hub;
    private final ObjectMapper json;
    private final String topic;
    private final Ticker ticker;
    private final Cache<String, Entry> entries;
    /**
     * Hits and misses as {@link #get(Collection)} decides them: an author answered from memory is a
     * hit, one read from the store a miss (an entry of an older epoch or past its age, or while not
     * caching, included), though Caffeine would count finding such an entry as a hit.
     */
    private final StatsCounter stats = new ConcurrentStatsCounter();
    private final Cache<String, Long> fences;
    /** Odd while the reader follows the topic (entries may be cached), even while not; bumped on every change of state. */
    private volatile long epoch;
    /** After a fence was dropped for room, nothing is cached until this tick (the fence window). */
    private volatile long pausedUntil;
    private volatile boolean stopping;
    /**
     * Where following and its checks run (the group's progress is a blocking broker call): never on
     * the reader's thread, which completes the follow, nor on the thread that starts the application.
     */
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "author-cache");
        thread.setDaemon(true);
        return thread;
    });
    /** Attempts to follow the topic; one that its reader's stop overtook does not start caching. Guarded by {@code this}. */
    private long attempts;

    @Inject
    public AuthorCache(AuthorRepository authors, AuthorCacheConfig config, LiveHub hub, ObjectMapper json,
                       @Identifier("default-kafka-broker") Map<String, Object> kafka,
                       @ConfigProperty(name = "mp.messaging.incoming.users-in.topic", defaultValue = Topics.USERS) String topic,
                       @ConfigProperty(name = "mp.messaging.incoming.users-in.group.id") Optional<String> group,
                       @ConfigProperty(name = "quarkus.application.name") String application) {
        // the channel's group, which Quarkus defaults to the application's name
        this(authors::findByIds, new GroupProgress(kafka, group.orElse(application), topic), config, hub, json, topic,
                Ticker.systemTicker());
    }

    AuthorCache(Function<Set<String>, Uni<List<AuthorDocument>>> loader, GroupProgress progress, AuthorCacheConfig config,
                LiveHub hub, ObjectMapper json, String topic, Ticker ticker) {
        this.loader = loader;
        this.progress = progress;
        this.config = config;
        this.hub = hub;
        this.json = json;
        this.topic = topic;
        this.ticker = ticker;
        this.entries = Caffeine.newBuilder().maximumSize(config.maxSize())
                .expireAfterWrite(config.maxAge().toNanos(), TimeUnit.NANOSECONDS).ticker(ticker).executor(Runnable::run)
                .recordStats(() -> stats)
                .build();
        this.fences = Caffeine.newBuilder().maximumSize(config.maxFences())
                .expireAfterWrite(config.fenceWindow().toNanos(), TimeUnit.NANOSECONDS).ticker(ticker).executor(Runnable::run)
                .evictionListener((String id, Long version, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        // this user's fence is gone before its window ended: cache nothing for a window
                        pausedUntil = ticker.read() + config.fenceWindow().toNanos();
                    }
                })
                .build();
        this.pausedUntil = ticker.read();
    }

    /**
     * Hits, misses, evictions and size of the author entries on /q/metrics
     * ({@code cache_gets_total{cache="authors"}} and the rest of Micrometer's Caffeine binder).
     */
    void bindMetrics(@Observes StartupEvent event, MeterRegistry registry) {
        CaffeineCacheMetrics.monitor(registry, entries, "authors");
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            background.execute(this::follow);
        }
    }

    /** Before the live hub stops its readers (default priority), so that their stop is not taken for a failure. */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping = true;
        down();
        background.shutdownNow();
        if (progress != null) {
            progress.close();
        }
    }

    private void follow() {
        long attempt;
        synchronized (this) {
            if (stopping) {
                return;
            }
            attempt = ++attempts;
        }
        hub.follow(topic, this).whenCompleteAsync((start, failure) -> {
            if (failure == null) {
                upOnceApplied(attempt, start);
            } else {
                LOG.warnf("author cache: cannot follow %s (%s); not caching, trying again", topic, failure.toString());
                retryLater();
            }
        }, background);
    }

    private void retryLater() {
        later(this::follow);
    }

    private void later(Runnable task) {
        if (!stopping) {
            try {
                background.schedule(task, config.retry().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        }
    }

    /** Starts caching once the group has applied what lies before the reader's {@code start}; checks again every {@code retry}. */
    private void upOnceApplied(long attempt, long[] start) {
        boolean applied;
        try {
            applied = stopping || progress == null || progress.applied(start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            LOG.debugf("author cache: cannot read the progress of the consumer group: %s", e.toString());
            applied = false;
        }
        synchronized (this) {
            if (stopping || attempts != attempt) {
                return;
            }
            if (applied) {
                up();
                return;
            }
        }
        later(() -> upOnceApplied(attempt, start));
    }

    /** The reader follows the topic from now on: a new epoch, in which loads may be cached. */
    synchronized void up() {
        epoch = (epoch | 1) + 2;
        entries.invalidateAll();
        LOG.infof("author cache: following %s, caching", topic);
    }

    /** The reader may miss events from now on: nothing cached is used or stored any more. */
    synchronized void down() {
        epoch = (epoch + 1) & ~1L;
        entries.invalidateAll();
    }

    @Override
    public void readerStopped() {
        synchronized (this) {
            attempts++;
            down();
        }
        if (stopping) {
            return;
        }
        LOG.warnf("author cache: the reader of %s stopped; not caching until it follows again", topic);
        retryLater();
    }

    /** A record from the reader: evicts its user and fences its version; what cannot be read clears everything. */
    @Override
    public boolean offer(LiveRecord record) {
        try {
            JsonNode envelope = record.value() == null ? null : json.readTree(record.value());
            JsonNode id = envelope == null ? null : envelope.get("aggregateId");
            JsonNode version = envelope == null ? null : envelope.get("aggregateVersion");
            if (id != null && id.isTextual() && version != null && version.canConvertToLong()) {
                changed(id.asText(), version.asLong());
                return true;
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debugf("author cache: unreadable record at %s-%d", topic, record.partition());
        }
        // the consumer will not apply it either, but what it would change cannot be known here
        synchronized (this) {
            if ((epoch & 1) == 1) {
                up();
            }
        }
        return true;
    }

    /**
     * User {@code id} changed at {@code version} (seen by the reader, or written by this
     * instance's consumer): evicted, and no document older than {@code version} is cached for it.
     */
    public void changed(String id, long version) {
        entries.asMap().compute(id, (key, old) -> {
            fences.asMap().merge(key, version, Math::max);
            return null;
        });
    }

    /** The author documents of {@code ids} the read model holds (unknown ones absent), cached ones without a query. */
    public Uni<Map<String, AuthorDocument>> get(Collection<String> ids) {
        Map<String, AuthorDocument> found = new HashMap<>();
        Set<String> missing = new HashSet<>();
        long current = epoch;
        for (String id : ids) {
            Entry entry = usable(current) ? entries.asMap().get(id) : null; // counts nothing: decided below
            if (entry != null && entry.epoch() == current && ticker.read() - entry.loadedAt() < config.maxAge().toNanos()) {
                found.put(id, entry.author());
            } else {
                missing.add(id);
            }
        }
        stats.recordHits(found.size());
        stats.recordMisses(missing.size());
        if (missing.isEmpty()) {
            return Uni.createFrom().item(found);
        }
        return loader.apply(missing).map(loaded -> {
            for (AuthorDocument author : loaded) {
                found.put(author.id, author);
                store(author, current);
            }
            return found;
        });
    }

    /** One author document, or null when the read model does not know the user. */
    public Uni<AuthorDocument> get(String id) {
        return get(Set.of(id)).map(found -> found.get(id));
    }

    private boolean usable(long current) {
        return config.enabled() && (current & 1) == 1 && ticker.read() - pausedUntil >= 0;
    }

    /** Caches a document loaded in epoch {@code loadedIn}, unless the epoch ended or an event newer than it was seen. */
    private void store(AuthorDocument author, long loadedIn) {
        if (!usable(loadedIn) || epoch != loadedIn) {
            return;
        }
        long now = ticker.read();
        entries.asMap().compute(author.id, (id, old) -> {
            Long fence = fences.getIfPresent(id);
            if (fence != null && author.version < fence) {
                return old;
            }
            if (fence != null) {
                // the read model caught up with every event seen for this user
                fences.invalidate(id);
            }
            if (epoch != loadedIn || old != null && old.epoch() == loadedIn && old.author().version > author.version) {
                return old;
            }
            return new Entry(author, loadedIn, now);
        });
    }

    /** Entries held now (for tests and diagnostics). */
    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }
}

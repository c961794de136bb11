package dev.conduit.readmodel.authors;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The in-memory author cache of a service ({@link AuthorCache}), prefix {@code conduit.authors.cache}. */
@ConfigMapping(prefix = "conduit.authors.cache")
public interface AuthorCacheConfig {

    /** Off: every question goes to MongoDB, as before the cache. */
    @WithDefault("true")
    boolean enabled();

    /** Author documents held at most (least valuable dropped first). */
    @WithDefault("10000")
    int maxSize();

    /**
     * The longest an entry is used after it was loaded, however quiet the topic: the safety net
     * under the event-driven eviction (a change the instance's reader missed lives at most this long).
     */
    @WithDefault("30s")
    Duration maxAge();

    /**
     * How long the version of a user event is remembered so that an older document, read while the
     * read model's consumer has not applied the event yet, is not cached: longer than that
     * consumer's lag ever is.
     */
    @WithDefault("10m")
    Duration fenceWindow();

    /** Remembered event versions at most (a burst of more users changing within the window drops the oldest). */
    @WithDefault("100000")
    int maxFences();

    /** How long to wait before following the topic again after the reader stopped. */
    @WithDefault("1s")
    Duration retry();
}

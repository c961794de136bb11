package dev.conduit.post.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Everything post-service reads from configuration (prefix {@code conduit.post}). */
@ConfigMapping(prefix = "conduit.post")
public interface PostConfig {

    /** Page size when a list request names none. */
    @WithDefault("20")
    int defaultLimit();

    /** The largest page a list request may ask for; more is a 422. */
    @WithDefault("100")
    int maxLimit();

    /**
     * How many tags {@code GET /tags} returns: the most used ones (RealWorld front ends show them as
     * "popular tags"), so the answer stays small however many tags were ever used. Cached for
     * {@code quarkus.cache.caffeine."popular-tags".expire-after-write}; a write in this instance
     * that changes tags clears it.
     */
    @WithDefault("50")
    int popularTags();

    /**
     * How often favorite changes that a crash left half-done (the relation changed, the article's
     * count and event not yet) are finished.
     */
    @WithDefault("30s")
    Duration favoriteRepairInterval();

    /** The public path the gateway mounts this service under, for Location headers. */
    @WithDefault("/api")
    String publicPathPrefix();

    /** Asking user-service whom a reader follows ({@code UserServiceClient}). */
    UserServiceCalls userService();

    interface UserServiceCalls {
        /** How long a call may take before the read model answers instead. */
        @WithDefault("500ms")
        Duration timeout();

        /** The breaker in front of the calls. */
        Breaker breaker();
    }

    interface Breaker {
        /** How many of the latest calls the failure ratio is computed over (and the fewest that can open it). */
        @WithDefault("4")
        int requestVolume();

        /** Share of failed calls among them that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long an open breaker stops asking before it lets a trial call through. */
        @WithDefault("5s")
        Duration delay();

        /** Successful trial calls that close it again. */
        @WithDefault("1")
        int successThreshold();
    }
}

package dev.conduit.comment.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Everything comment-service reads from configuration (prefix {@code conduit.comment}). The outbox
 * timing is service-support's ({@code conduit.outbox.*}).
 */
@ConfigMapping(prefix = "conduit.comment")
public interface CommentConfig {

    /**
     * Comments in one answer of {@code GET /articles/{slug}/comments} when the request names no
     * {@code limit}: a RealWorld front end, which never pages, sees the first this many (oldest first).
     */
    @WithDefault("100")
    int defaultLimit();

    /**
     * The largest {@code limit} a request may ask for; more is a 422. With bodies of at most 10,000
     * characters one answer stays under about 2 MB.
     */
    @WithDefault("200")
    int maxLimit();

    /** The in-memory cache of comment pages ({@code CommentPages}). */
    PageCache pageCache();

    interface PageCache {
        /** Off: every page is read from MongoDB. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Characters of comment bodies held at most (about two bytes each), with a fixed allowance per
         * comment for the rest: bounds memory whatever the pages' sizes.
         */
        @WithDefault("16000000")
        long maxChars();

        /** The longest a page is used after it was read (a safety net: pages are checked by version on every use). */
        @WithDefault("60s")
        Duration maxAge();
    }

    /** Asking post-service which article a slug names ({@code PostServiceClient}). */
    PostServiceCalls postService();

    interface PostServiceCalls {
        /** How long a call may take before the article is "cannot tell" (503). */
        @WithDefault("1s")
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
        @WithDefault("10s")
        Duration delay();

        /** Successful trial calls that close it again. */
        @WithDefault("1")
        int successThreshold();
    }
}

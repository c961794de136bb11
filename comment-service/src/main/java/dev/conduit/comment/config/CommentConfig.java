package dev.conduit.comment.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Everything comment-service reads from configuration (prefix {@code conduit.comment}). */
@ConfigMapping(prefix = "conduit.comment")
public interface CommentConfig {

    /** How long a relay may hold a comment's outbox before another instance may take over. */
    @WithDefault("30s")
    Duration outboxLease();

    /** How often the outbox is swept for events a crash or a Kafka outage left unsent. */
    @WithDefault("5s")
    Duration outboxSweepInterval();
}

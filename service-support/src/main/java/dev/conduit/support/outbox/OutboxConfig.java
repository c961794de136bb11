package dev.conduit.support.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The outbox relay's timing, the same keys in every service ({@code conduit.outbox.*}). */
@ConfigMapping(prefix = "conduit.outbox")
public interface OutboxConfig {

    /** How long one instance may hold an aggregate's relay lease before another may take it over. */
    @WithDefault("30s")
    Duration lease();

    /** The full sweep, for what a crashed process left pending. */
    @WithDefault("5s")
    Duration sweepInterval();

    /** How often a relay that failed (Kafka away) retries, so held-back events go out soon after Kafka returns. */
    @WithDefault("1s")
    Duration catchUpInterval();
}

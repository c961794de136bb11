package dev.conduit.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;

/** Everything the gateway reads from configuration. */
@ConfigMapping(prefix = "conduit.gateway")
public interface GatewayConfig {

    /** Base URL of user-service (users, login, current user, profiles). */
    URI userServiceUrl();

    /** Base URL of post-service (articles, feed, favorites, tags). */
    URI postServiceUrl();

    /** Base URL of comment-service (comments on articles). */
    URI commentServiceUrl();

    /** How long the aggregated readiness check waits for one downstream service. */
    @WithDefault("2s")
    Duration healthTimeout();
}

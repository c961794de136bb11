package dev.conduit.gateway.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The edge's verified-token cache ({@link EdgeAuthenticator}); the same keys as the services'. */
@ConfigMapping(prefix = "conduit.security.token-cache")
public interface TokenCacheConfig {

    /**
     * How long a verified token is taken as verified at most (never past its expiry). The cache is
     * also emptied whenever user-service's key set changes ({@link VerificationKeys}); this bounds
     * what any other miss would leave.
     */
    @WithDefault("60s")
    Duration maxAge();

    /** How many verified tokens are kept at most; 0 turns the cache off. */
    @WithDefault("5000")
    long maximumSize();
}

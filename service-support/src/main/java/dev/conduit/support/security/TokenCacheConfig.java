package dev.conduit.support.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The verified-token cache ({@link VerifiedTokenCache}). */
@ConfigMapping(prefix = "conduit.security.token-cache")
public interface TokenCacheConfig {

    /**
     * How long a verified token is taken as verified at most (never past its expiry): a key withdrawn
     * from user-service's key set stops being honoured within this time, on top of the JWK set's own
     * cache lifetime.
     */
    @WithDefault("60s")
    Duration maxAge();

    /** How many verified tokens are kept at most (a few hundred bytes each, claims included); 0 turns the cache off. */
    @WithDefault("5000")
    long maximumSize();
}

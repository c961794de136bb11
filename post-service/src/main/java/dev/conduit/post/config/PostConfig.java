package dev.conduit.post.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything post-service reads from configuration (prefix {@code conduit.post}). */
@ConfigMapping(prefix = "conduit.post")
public interface PostConfig {

    /** Page size when a list request names none. */
    @WithDefault("20")
    int defaultLimit();

    /** The largest page a list request may ask for; more is a 422. */
    @WithDefault("100")
    int maxLimit();

    /** The public path the gateway mounts this service under, for Location headers. */
    @WithDefault("/api")
    String publicPathPrefix();
}

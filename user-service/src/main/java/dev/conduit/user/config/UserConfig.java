package dev.conduit.user.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Everything user-service reads from configuration (prefix {@code conduit.user}). */
@ConfigMapping(prefix = "conduit.user")
public interface UserConfig {

    /** The {@code iss} of the tokens this service signs; verifiers expect the same value. */
    @WithDefault("conduit")
    String tokenIssuer();

    /** How long a token is valid. */
    @WithDefault("P1D")
    Duration tokenLifetime();

    /** bcrypt cost factor (2^cost rounds). */
    @WithDefault("10")
    int bcryptCost();



    /** The public path the gateway mounts this service under, for Location headers. */
    @WithDefault("/api")
    String publicPathPrefix();
}

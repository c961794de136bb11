package dev.conduit.user.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
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

    /** The signing key set (see {@code security.KeySet}). */
    Keys keys();

    interface Keys {

        /** The directory of the key set: {@code jwt-private.pem} signs, every PEM's public key verifies. */
        @WithDefault("/run/secrets/jwt")
        Path directory();

        /** How often the directory is read again, so a rotation needs no restart. */
        @WithDefault("10s")
        Duration reloadInterval();

        /** How long verifiers may keep the published key set ({@code Cache-Control: max-age}). */
        @WithDefault("60s")
        Duration cacheLifetime();
    }

    /** The public path the gateway mounts this service under, for Location headers. */
    @WithDefault("/api")
    String publicPathPrefix();
}

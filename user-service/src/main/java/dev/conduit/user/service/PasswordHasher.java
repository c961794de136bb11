package dev.conduit.user.service;

import dev.conduit.user.config.UserConfig;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * bcrypt, on worker threads: a hash costs tens of milliseconds of CPU and must never run on an
 * event-loop thread. Created at start-up, so that the decoy hash is not computed on the event
 * loop of the first request that needs this bean.
 */
@Startup
@ApplicationScoped
public class PasswordHasher {

    private final int cost;
    /** Compared against when the email is unknown, so both failures take the same time. */
    private final String decoy;

    public PasswordHasher(UserConfig config) {
        this.cost = config.bcryptCost();
        this.decoy = BcryptUtil.bcryptHash("decoy-password-for-unknown-users", cost);
    }

    public Uni<String> hash(String password) {
        return Uni.createFrom().item(() -> BcryptUtil.bcryptHash(password, cost))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Whether {@code password} matches {@code hash}; a null hash costs the same and never matches. */
    public Uni<Boolean> matches(String password, String hash) {
        return Uni.createFrom().item(() -> {
                    boolean ok = BcryptUtil.matches(password, hash == null ? decoy : hash);
                    return ok && hash != null;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}

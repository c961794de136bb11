package dev.conduit.user.security;

import dev.conduit.support.security.VerifiedTokenCache;
import dev.conduit.user.config.UserConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The key set this service signs and verifies with, read from {@code conduit.user.keys.directory}
 * at start (a set it cannot use stops the start) and again every
 * {@code conduit.user.keys.reload-interval}, so a rotation needs no restart: in Kubernetes the
 * kubelet rewrites a mounted Secret's files when the Secret changes. A set that cannot be read
 * later (a half-written file, a missing signing key) is reported and the one held stays in use.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final UserConfig config;
    private final VerifiedTokenCache verified;
    private volatile KeySet current;

    public SigningKeys(UserConfig config, VerifiedTokenCache verified) {
        this.config = config;
        this.verified = verified;
    }

    void load(@Observes StartupEvent event) {
        current();
    }

    /** The set in use; loaded on first use if the start has not loaded it yet. */
    public KeySet current() {
        KeySet keys = current;
        if (keys == null) {
            synchronized (this) {
                if (current == null) {
                    current = KeySet.load(config.keys().directory());
                    LOG.infof("JWT keys: signing with kid %s; publishing %s", current.signingKid(), current.publicKeys().keySet());
                }
                keys = current;
            }
        }
        return keys;
    }

    @Scheduled(every = "{conduit.user.keys.reload-interval}", delayed = "{conduit.user.keys.reload-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void reload() {
        KeySet next;
        try {
            next = KeySet.load(config.keys().directory());
        } catch (RuntimeException e) {
            LOG.warnf("JWT keys: keeping the set in use, cannot read %s: %s", config.keys().directory(), e.getMessage());
            return;
        }
        KeySet held = current();
        if (!next.equals(held)) {
            current = next;
            // a token verified with a key no longer in the set must not pass from the cache
            verified.clear();
            LOG.infof("JWT keys changed: signing with kid %s%s; publishing %s", next.signingKid(),
                    next.signingKid().equals(held.signingKid()) ? "" : " (was " + held.signingKid() + ")", next.publicKeys().keySet());
        }
    }
}

package dev.conduit.gateway.security;

import dev.conduit.gateway.config.GatewayConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.lang.JoseException;

import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys that verify tokens at the edge: user-service's JWK set, fetched without blocking (the
 * gateway verifies on the event loop), kept as long as the answer's {@code Cache-Control: max-age}
 * says and then refreshed in the background while the held keys keep serving. A {@code kid} the held
 * set lacks (a key user-service just started signing with) makes the gateway fetch the set at once and
 * wait for it, at most once per {@code min-refresh-interval}. While user-service cannot be reached the
 * keys held stay in use, so its outage refuses no token. The first fetch is made at start; a request
 * that comes before it ends waits for it.
 */
@ApplicationScoped
public class VerificationKeys {

    private static final Logger LOG = Logger.getLogger(VerificationKeys.class);
    private static final Pattern MAX_AGE = Pattern.compile("max-age\\s*=\\s*(\\d+)");

    /** The keys held, by kid, and until when (System.nanoTime) they are fresh. */
    private record Held(Map<String, PublicKey> byKid, List<PublicKey> all, long freshUntil, boolean loaded) {

        static final Held NONE = new Held(Map.of(), List.of(), System.nanoTime(), false);

        /** The key of {@code kid}; for a token without kid (issued before keys had ids), the only key if there is one. */
        PublicKey find(String kid) {
            if (kid != null) {
                return byKid.get(kid);
            }
            return all.size() == 1 ? all.get(0) : null;
        }

        Held freshFor(Duration time) {
            return new Held(byKid, all, System.nanoTime() + time.toNanos(), loaded);
        }
    }

    private final WebClient client;
    private final GatewayConfig.Jwks config;
    private volatile Held held = Held.NONE;
    /** The fetch under way, if any, and when the last one started; guarded by this. */
    private Future<Held> fetching;
    private long lastFetch;
    private boolean failing;
    /** Told after the keys held changed (a key added, replaced or withdrawn). */
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

    @Inject
    public VerificationKeys(Vertx vertx, GatewayConfig config) {
        this(vertx, config.jwks());
    }

    VerificationKeys(Vertx vertx, GatewayConfig.Jwks config) {
        this.config = config;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) config.timeout().toMillis())
                .setMaxPoolSize(2));
    }

    void start(@Observes StartupEvent event) {
        fetch();
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * Runs {@code listener} each time the keys held change, after the new ones are in use: what was
     * verified with the old ones (EdgeAuthenticator's cache) must be verified again.
     */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /**
     * The key that verifies a token with this {@code kid} (null: the token has none), or null when
     * user-service publishes no such key. Completes at once for a key held.
     */
    public Future<PublicKey> key(String kid) {
        PublicKey key = refreshedIfStale().find(kid);
        return key != null ? Future.succeededFuture(key) : missing(kid);
    }

    /**
     * Starts fetching the set again, in the background, once the held one's lifetime is over; the
     * held keys serve meanwhile. Also for a request whose token is already verified (EdgeAuthenticator's
     * cache), so that the set is refreshed, and a withdrawn key noticed, while every token is a hit.
     */
    public void refreshIfStale() {
        refreshedIfStale();
    }

    private Held refreshedIfStale() {
        Held now = held;
        if (now.loaded() && System.nanoTime() - now.freshUntil() > 0) {
            fetch();
        }
        return now;
    }

    /**
     * The key of a kid that the set read a moment ago lacked: from the fetch under way, from the set
     * held now (a fetch may have landed since that read), from a new fetch, or none if the last fetch
     * was too recent. Decided under the lock on the set held now: deciding on the earlier read refused
     * a valid token that raced the first fetch of a gateway restarted under load (a 401 in
     * FaultInjectionIT, reproduced by hand: the set arrived between the read and this call, and its
     * fetch then counted as too recent to fetch again).
     */
    synchronized Future<PublicKey> missing(String kid) {
        if (fetching != null) {
            return fetching.map(fetched -> fetched.find(kid));
        }
        Held now = held;
        PublicKey key = now.find(kid);
        if (key != null || now.loaded() && System.nanoTime() - lastFetch < config.minRefreshInterval().toNanos()) {
            return Future.succeededFuture(key);
        }
        return fetch().map(fetched -> fetched.find(kid));
    }

    private synchronized Future<Held> fetch() {
        if (fetching != null) {
            return fetching;
        }
        lastFetch = System.nanoTime();
        Promise<Held> done = Promise.promise();
        fetching = done.future();
        client.getAbs(config.url().toString()).timeout(config.timeout().toMillis()).send()
                .onComplete(answer -> done.complete(arrived(answer.succeeded() ? answer.result() : null, answer.cause())));
        return fetching;
    }

    private synchronized Held arrived(HttpResponse<Buffer> response, Throwable failure) {
        fetching = null;
        Held next;
        try {
            if (response == null) {
                throw new IllegalStateException(failure == null ? "no answer" : failure.toString());
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("status " + response.statusCode());
            }
            next = parse(response.bodyAsString(), lifetime(response.getHeader("Cache-Control")));
            if (failing || !next.byKid().keySet().equals(held.byKid().keySet())) {
                LOG.infof("JWT keys from %s: %s", config.url(), next.byKid().keySet());
            }
            failing = false;
        } catch (RuntimeException | JoseException e) {
            // keep verifying with what is held; try again after the minimum interval
            next = held.freshFor(config.minRefreshInterval());
            if (!failing) {
                LOG.warnf("cannot fetch the JWT keys from %s (%s); keeping the %d held", config.url(), e.getMessage(), held.all().size());
            }
            failing = true;
        }
        boolean changed = !next.byKid().equals(held.byKid()) || !next.all().equals(held.all());
        held = next;
        if (changed) {
            changeListeners.forEach(Runnable::run);
        }
        return next;
    }

    private Duration lifetime(String cacheControl) {
        if (cacheControl != null) {
            Matcher maxAge = MAX_AGE.matcher(cacheControl);
            if (maxAge.find()) {
                return Duration.ofSeconds(Long.parseLong(maxAge.group(1)));
            }
        }
        return config.refreshInterval();
    }

    private static Held parse(String body, Duration lifetime) throws JoseException {
        Map<String, PublicKey> byKid = new HashMap<>();
        List<PublicKey> all = new ArrayList<>();
        for (JsonWebKey jwk : new JsonWebKeySet(body).getJsonWebKeys()) {
            if (jwk instanceof RsaJsonWebKey rsa && (jwk.getUse() == null || "sig".equals(jwk.getUse()))) {
                all.add(rsa.getRsaPublicKey());
                if (jwk.getKeyId() != null) {
                    byKid.put(jwk.getKeyId(), rsa.getRsaPublicKey());
                }
            }
        }
        return new Held(Map.copyOf(byKid), List.copyOf(all), System.nanoTime() + lifetime.toNanos(), true);
    }
}

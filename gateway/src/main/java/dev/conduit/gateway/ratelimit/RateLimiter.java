package dev.conduit.gateway.ratelimit;

import dev.conduit.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/**
 * The gateway's three rate limits: every request per client address, every authenticated request
 * per user, and registration/login per client address (tighter, against credential stuffing and
 * sign-up floods); and the limits on open event streams, per client and in total.
 */
@ApplicationScoped
public class RateLimiter {

    private final TokenBuckets perClient;
    private final TokenBuckets perUser;
    private final TokenBuckets authPerClient;
    private final Counter clientRefused;
    private final Counter userRefused;
    private final Counter authRefused;
    private final StreamLimits streams;
    private final Counter streamClientRefused;
    private final Counter streamTotalRefused;
    private final Vertx vertx;
    private final long evictionTimer;

    public RateLimiter(GatewayConfig config, Vertx vertx, MeterRegistry meters) {
        GatewayConfig.RateLimits limits = config.rateLimit();
        this.perClient = new TokenBuckets(limits.clientRequests(), limits.period(), System::nanoTime);
        this.perUser = new TokenBuckets(limits.userRequests(), limits.period(), System::nanoTime);
        this.authPerClient = new TokenBuckets(limits.authRequests(), limits.period(), System::nanoTime);
        this.clientRefused = refusals("client", meters);
        this.userRefused = refusals("user", meters);
        this.authRefused = refusals("auth", meters);
        this.streams = new StreamLimits(config.streams().maxPerClient(), config.streams().maxOpen());
        this.streamClientRefused = refusals("streams-client", meters);
        this.streamTotalRefused = refusals("streams-total", meters);
        Gauge.builder("conduit.gateway.streams.open", streams, StreamLimits::open)
                .description("event streams (/api/live/*) open on this gateway instance")
                .register(meters);
        this.vertx = vertx;
        Map.of("client", perClient, "user", perUser, "auth", authPerClient).forEach((name, buckets) ->
                Gauge.builder("conduit.gateway.rate.limit.keys", buckets, TokenBuckets::size)
                        .description("clients or users the limit currently tracks")
                        .tag("limit", name)
                        .register(meters));
        this.evictionTimer = vertx.setPeriodic(limits.period().toMillis(),
                id -> List.of(perClient, perUser, authPerClient).forEach(TokenBuckets::evictFull));
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(evictionTimer);
    }

    public TokenBuckets.Decision client(String address) {
        return counted(perClient.take(address), clientRefused);
    }

    public TokenBuckets.Decision user(String subject) {
        return counted(perUser.take(subject), userRefused);
    }

    public TokenBuckets.Decision authEndpoint(String address) {
        return counted(authPerClient.take(address), authRefused);
    }

    /**
     * A place for one more event stream of {@code key} (the token's subject, else the client address);
     * the caller releases its permit when the stream ends.
     */
    public StreamLimits.Decision openStream(String key) {
        StreamLimits.Decision decision = streams.tryOpen(key);
        if (!decision.allowed()) {
            (decision.refusal() == StreamLimits.Refusal.CLIENT ? streamClientRefused : streamTotalRefused).increment();
        }
        return decision;
    }

    private static TokenBuckets.Decision counted(TokenBuckets.Decision decision, Counter refused) {
        if (!decision.allowed()) {
            refused.increment();
        }
        return decision;
    }

    private static Counter refusals(String limit, MeterRegistry meters) {
        return Counter.builder("conduit.gateway.rate.limit.refused")
                .description("requests answered 429 by the limit")
                .tag("limit", limit)
                .register(meters);
    }
}

package dev.conduit.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
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

    /** Base URL of trending-service (trending articles and tags). */
    URI trendingServiceUrl();

    /** Management interface (health) of user-service, for the aggregated platform view. */
    URI userServiceManagementUrl();

    /** Management interface (health) of post-service. */
    URI postServiceManagementUrl();

    /** Management interface (health) of comment-service. */
    URI commentServiceManagementUrl();

    /** Management interface (health) of trending-service. */
    URI trendingServiceManagementUrl();

    /** How long the aggregated platform view waits for one downstream service. */
    @WithDefault("2s")
    Duration healthTimeout();

    /**
     * How long one aggregated platform view is reused: however many callers ask, the services are
     * asked at most once per period, so a flood of health calls cannot fan out to them.
     */
    @WithDefault("1s")
    Duration healthCache();

    /**
     * Longest silence while a client sends its request body: a client that sends nothing for this
     * long has stalled and gets 408 (its body is received before the service is called, so it
     * never holds a connection to the service).
     */
    @WithDefault("10s")
    Duration bodyIdleTimeout();

    /** Longest time for a whole request body, however steadily it comes; then 408. */
    @WithDefault("60s")
    Duration bodyTimeout();

    /**
     * Largest request body the gateway forwards; larger ones get 413. Must stay below
     * {@code quarkus.http.limits.max-body-size}, whose own 413 has no error envelope.
     */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /** The HTTP client of each downstream service. */
    Client client();

    /** Retries of idempotent reads. */
    Retry retry();

    /** The circuit breaker of each downstream service. */
    Breaker breaker();

    /** Request rate limits, kept in memory by each gateway instance. */
    RateLimits rateLimit();

    /** The keys that verify tokens: user-service's JWK set. */
    Jwks jwks();

    /** Server-Sent Event streams ({@code /api/live/*}): how many may be open. */
    Streams streams();

    interface Client {
        /** Open connections to one service at most; further requests wait in the queue. */
        @WithDefault("64")
        int maxPoolSize();

        /** Requests waiting for a connection to one service at most; beyond it a request gets 503 at once. */
        @WithDefault("256")
        int maxWaitQueueSize();

        /** Time to get a connection (from the pool or a new one) before giving up with 503. */
        @WithDefault("1s")
        Duration connectTimeout();

        /**
         * Time without any byte from the service once it has the whole request: bounds both the wait
         * for the response and a stalled response body (504 if nothing was sent to the client yet). A
         * slow upload does not count: the body is received before the service is called.
         */
        @WithDefault("5s")
        Duration requestTimeout();

        /** How long an unused pooled connection stays open. */
        @WithDefault("30s")
        Duration keepAliveTimeout();
    }

    interface Retry {
        /** Further attempts of a GET after a connection failure (never after a timeout, never for writes). */
        @WithDefault("2")
        int maxRetries();

        /** Pause before the first retry; doubles with each further one. */
        @WithDefault("50ms")
        Duration delay();
    }

    interface Breaker {
        /** How many of the latest calls to a service the failure ratio is computed over. */
        @WithDefault("20")
        int window();

        /** Calls needed in the window before the breaker may open. */
        @WithDefault("10")
        int minimumCalls();

        /** Share of failed calls in the window that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long an open breaker refuses calls before it lets one trial call through. */
        @WithDefault("5s")
        Duration openDelay();
    }

    interface RateLimits {
        /** Every /api request, per client IP address. */
        @WithDefault("600")
        int clientRequests();

        /** Every /api request carrying a valid token, per token subject. */
        @WithDefault("600")
        int userRequests();

        /** Registration and login ({@code POST /api/users}, {@code POST /api/users/login}), per client IP address. */
        @WithDefault("20")
        int authRequests();

        /** The period the request counts above are for; buckets refill evenly over it. */
        @WithDefault("1m")
        Duration period();
    }

    interface Jwks {
        /** Where user-service publishes its JWK set ({@code GET /internal/jwks} on its API port). */
        URI url();

        /** How long a fetched set is kept when the answer has no {@code Cache-Control: max-age} (which wins). */
        @WithDefault("60s")
        Duration refreshInterval();

        /**
         * The shortest time between two fetches made for a {@code kid} the held set lacks, and between
         * two attempts while user-service cannot be reached: tokens with made-up kids cost user-service
         * at most one request per interval.
         */
        @WithDefault("5s")
        Duration minRefreshInterval();

        /** Time for one fetch; the keys held stay in use when it fails. */
        @WithDefault("2s")
        Duration timeout();
    }

    interface Streams {
        /**
         * Open streams per client at most, keyed as the rate limits key clients: the token's subject
         * when the request carries a valid token, else the client address. Beyond it: 429.
         */
        @WithDefault("4")
        int maxPerClient();

        /** Open streams on this gateway instance at most, all clients together. Beyond it: 429. */
        @WithDefault("1000")
        int maxOpen();

        /** The {@code Retry-After} of a stream refused for either limit. */
        @WithDefault("5s")
        Duration retryAfter();

        /**
         * Time for a stream's service to answer with its response head, once the request is sent;
         * then 504. Longer than the services' {@code conduit.live.start-timeout} (10 s), so that their
         * own 503 (Kafka reader not started) reaches the client. Once the stream is open there is no
         * time limit: it lasts until either side ends it.
         */
        @WithDefault("15s")
        Duration firstByteTimeout();
    }
}

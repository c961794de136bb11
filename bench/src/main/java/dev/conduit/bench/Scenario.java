package dev.conduit.bench;

import io.vertx.core.http.HttpMethod;

import java.util.Arrays;
import java.util.Optional;

/**
 * The four requests, in the order they run: reads first, then the write that grows the
 * collection the reads would otherwise see grow under them. Each carries the target and
 * the peers' figures from its table (req/s, wrk -t2 -c64).
 */
enum Scenario {

    LIST("list", HttpMethod.GET, "post-service", 385, 385, 104, 106),
    ARTICLE("article", HttpMethod.GET, "post-service", 1_232, 747, 851, 1_232),
    COMMENTS("comments", HttpMethod.GET, "comment-service", 1_545, 473, 719, 1_545),
    CREATE("create", HttpMethod.POST, "post-service", 427, 377, 427, 230);

    /** The latency target for every scenario at 64 connections. */
    static final double TARGET_P99_MS = 100;

    final String key;
    final HttpMethod method;
    /** The service that answers it: where {@code --direct} sends it. */
    final String service;
    final int targetPerSecond;
    final int express;
    final int webflux;
    final int quarkusMonolith;

    Scenario(String key, HttpMethod method, String service, int targetPerSecond, int express, int webflux, int quarkusMonolith) {
        this.key = key;
        this.method = method;
        this.service = service;
        this.targetPerSecond = targetPerSecond;
        this.express = express;
        this.webflux = webflux;
        this.quarkusMonolith = quarkusMonolith;
    }

    static Optional<Scenario> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    /** The path below the API root: {@code /api} prepended on the gateway, as is on the service itself. */
    String path(Seeder.Seeded seeded) {
        return switch (this) {
            case LIST -> "/articles?limit=20";
            case ARTICLE -> "/articles/" + seeded.slug();
            case COMMENTS -> "/articles/" + seeded.slug() + "/comments";
            case CREATE -> "/articles";
        };
    }

    /** As the table names it. */
    String label() {
        return switch (this) {
            case LIST -> "GET /api/articles?limit=20";
            case ARTICLE -> "GET /api/articles/{slug}";
            case COMMENTS -> "GET /api/articles/{slug}/comments";
            case CREATE -> "POST /api/articles";
        };
    }

    boolean needsToken() {
        return this == CREATE;
    }

    /** The n-th request's body; titles are unique so that every article gets its own slug. */
    String body(String runId, long n) {
        if (this != CREATE) {
            return null;
        }
        return "{\"article\":{\"title\":\"Load " + runId + " " + n + "\",\"description\":\"Written by the benchmark\","
                + "\"body\":\"A short body of an article the benchmark wrote under load.\",\"tagList\":[\"bench\",\"load\"]}}";
    }
}

package dev.conduit.trending.stream;

/** What the topology counts; Micrometer in the service, nothing (or a test's counter) elsewhere. */
public interface TrendingMetrics {

    TrendingMetrics NONE = new TrendingMetrics() {
        @Override
        public void applied(String type) {
        }

        @Override
        public void ignored(String reason) {
        }
    };

    /** An event changed the scores (or the article's tags). */
    void applied(String type);

    /**
     * An event was left out: {@code duplicate}, {@code stale}, {@code deleted} (its article is gone),
     * {@code expired} (a comment event older than the scores' retention), {@code invalid}.
     */
    void ignored(String reason);
}

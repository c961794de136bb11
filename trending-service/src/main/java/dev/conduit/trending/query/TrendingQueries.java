package dev.conduit.trending.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.trending.client.OutgoingCalls;
import dev.conduit.trending.config.TrendingConfig;
import dev.conduit.trending.rest.ApiException;
import dev.conduit.trending.stream.Scoring;
import dev.conduit.trending.stream.TrendingTopology;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Rankings from the state stores: this instance's partitions directly (interactive queries), the
 * other instances' through their {@code /internal/trending/...} routes, found in Kafka Streams'
 * metadata by their {@code application.server}. The keys of the instances are disjoint (one task
 * owns an article, one a tag), so the top {@code n} of all is the top {@code n} of the tops.
 */
@ApplicationScoped
public class TrendingQueries {

    private static final Logger LOG = Logger.getLogger(TrendingQueries.class);
    private static final TypeReference<List<Ranked>> RANKING = new TypeReference<>() {
    };

    /** A ranking and whether an instance that holds part of it did not answer. */
    public record Ranking(List<Ranked> entries, boolean partial) {
    }

    /** No ranking is deeper than this. */
    public static final int MAX_DEPTH = 100;

    public enum Kind {
        ARTICLES(TrendingTopology.ARTICLE_SCORES_STORE, "articles"),
        TAGS(TrendingTopology.TAG_SCORES_STORE, "tags");

        final String store;
        final String path;

        Kind(String store, String path) {
            this.store = store;
            this.path = path;
        }
    }

    private final KafkaStreams streams;
    private final Scoring scoring;
    private final TrendingConfig config;
    private final ObjectMapper json;
    private final HostInfo self;
    private final HttpClient http;
    private final OutgoingCalls calls;
    private final RankingCache cache;

    public TrendingQueries(KafkaStreams streams, TrendingConfig config, ObjectMapper json, OutgoingCalls calls,
                           @ConfigProperty(name = "quarkus.kafka-streams.application-server") String applicationServer) {
        this.calls = calls;
        this.cache = new RankingCache(config.rankingCache(), System::nanoTime);
        this.streams = streams;
        this.scoring = Scoring.of(config);
        this.config = config;
        this.json = json;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
        this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
    }

    /** The window a ranking asked for now answers from. */
    public long currentWindow() {
        return scoring.currentWindowStart(System.currentTimeMillis());
    }

    /** The top {@code limit} of every instance's store, merged. */
    public Ranking top(Kind kind, int limit) {
        long window = currentWindow();
        List<Ranked> merged = new ArrayList<>(local(kind, window, limit));
        boolean partial = false;
        List<CompletableFuture<HttpResponse<String>>> asked = new ArrayList<>();
        for (HostInfo other : otherHosts(kind)) {
            URI uri = URI.create("http://" + other.host() + ":" + other.port() + "/internal/trending/" + kind.path
                    + "?limit=" + limit + "&window=" + window);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.requestTimeout()).GET();
            Span span = calls.start("GET /internal/trending/" + kind.path, uri, request);
            asked.add(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                if (failure != null) {
                    OutgoingCalls.failed(span, failure);
                } else {
                    OutgoingCalls.answered(span, response.statusCode());
                }
            }));
        }
        for (CompletableFuture<HttpResponse<String>> answer : asked) {
            try {
                HttpResponse<String> response = answer.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("status " + response.statusCode());
                }
                merged.addAll(json.readValue(response.body(), RANKING));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                partial = true;
            } catch (Exception e) {
                LOG.warnf("a trending instance did not answer, the ranking is partial: %s", e.toString());
                partial = true;
            }
        }
        // while partitions move, a key may be answered by two instances: keep its best score once
        Map<String, Ranked> byKey = new HashMap<>();
        merged.forEach(r -> byKey.merge(r.key(), r, (a, b) -> a.score() >= b.score() ? a : b));
        return new Ranking(byKey.values().stream().sorted(LocalRanking.ORDER).limit(limit).toList(), partial);
    }

    /**
     * This instance's part of a ranking, for another instance's scatter-gather: the top
     * {@link #MAX_DEPTH} of the window, computed at most once per {@code ranking-cache} duration.
     */
    public List<Ranked> local(Kind kind, long window, int limit) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw notQueryable();
        }
        List<Ranked> top = cache.get(kind.store, window, () -> {
            try {
                ReadOnlyWindowStore<String, Double> store = streams.store(
                        StoreQueryParameters.fromNameAndType(kind.store, QueryableStoreTypes.windowStore()));
                return LocalRanking.top(store, scoring, window, MAX_DEPTH);
            } catch (InvalidStateStoreException e) {
                throw notQueryable();
            }
        });
        return top.size() <= limit ? top : top.subList(0, limit);
    }

    /**
     * The scores these keys hold in this instance's store for {@code window}, whatever their rank
     * (a key this instance does not hold, or without a score in the window, is left out): what an
     * operator or a test asks about one tag or article, where the ranking shows the top only.
     */
    public List<Ranked> scores(Kind kind, long window, Collection<String> keys) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw notQueryable();
        }
        try {
            ReadOnlyWindowStore<String, Double> store = streams.store(
                    StoreQueryParameters.fromNameAndType(kind.store, QueryableStoreTypes.windowStore()));
            List<Ranked> found = new ArrayList<>();
            for (String key : keys) {
                double score = LocalRanking.score(store, scoring, key, window);
                if (score != 0) {
                    found.add(new Ranked(key, score));
                }
            }
            return found;
        } catch (InvalidStateStoreException e) {
            throw notQueryable();
        }
    }

    private List<HostInfo> otherHosts(Kind kind) {
        List<HostInfo> others = new ArrayList<>();
        for (StreamsMetadata metadata : streams.streamsMetadataForStore(kind.store)) {
            HostInfo host = metadata.hostInfo();
            if (!host.equals(self) && !host.equals(HostInfo.unavailable())) {
                others.add(host);
            }
        }
        return others;
    }

    private ApiException notQueryable() {
        return ApiException.unavailable("trending is being rebalanced or restored, try again shortly", config.retryAfterSeconds());
    }
}

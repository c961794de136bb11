package dev.conduit.trending.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.events.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;

/**
 * The trending topology: both topics (keyed by article id) into {@link ScoringProcessor}, its tag
 * changes (one record per tag and event) re-keyed by tag through the repartition topic
 * {@code conduit-trending-tag-buckets-repartition} into {@link TagScoreProcessor}. The score stores
 * keep buckets ({@link Scoring#bucket()}); a ranking sums a window's buckets. Every store has a
 * changelog topic, so a lost instance's state is restored elsewhere; with {@code exactly_once_v2} a
 * store change, its changelog record, the repartition records and the input offsets commit together.
 */
public final class TrendingTopology {

    public static final String APPLICATION_ID = "conduit-trending";
    public static final String ARTICLE_STATE_STORE = "trending-article-state";
    /**
     * Per comment, the last applied version at the event time it was applied at, kept for the
     * scores' retention (a window store, so whole segments expire). A new name, not the former
     * key-value store's {@code trending-comment-versions}: its changelog is in another format.
     */
    public static final String COMMENT_VERSION_STORE = "trending-comment-seen";
    /**
     * Per article, its score in each bucket ({@link Scoring#bucket()}): a window's score is the sum of
     * its buckets. New names, not the former window stores' {@code trending-article-scores} and
     * {@code trending-tag-scores} (window sums in the same format, which would restore as wrong buckets).
     */
    public static final String ARTICLE_SCORES_STORE = "trending-article-buckets";
    /** Per tag, the sum of its articles' buckets. */
    public static final String TAG_SCORES_STORE = "trending-tag-buckets";
    /** The repartition topic {@code conduit-trending-tag-buckets-repartition} (formerly {@code ...-tag-deltas-...}, another format). */
    static final String TAG_DELTAS = "tag-buckets";

    private TrendingTopology() {
    }

    public static Topology build(Scoring scoring, ObjectMapper json, TrendingMetrics metrics) {
        return build(scoring, json, metrics, Topics.POSTS, Topics.COMMENTS);
    }

    /** The same topology on other source topics (tests that must not share the platform's topics). */
    public static Topology build(Scoring scoring, ObjectMapper json, TrendingMetrics metrics, String postsTopic,
                                 String commentsTopic) {
        StreamsBuilder builder = new StreamsBuilder();
        EventTimestamps eventTime = new EventTimestamps(json);
        JsonSerde<ArticleState> stateSerde = new JsonSerde<>(json, ArticleState.class);
        JsonSerde<TagDelta> deltaSerde = new JsonSerde<>(json, TagDelta.class);

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ARTICLE_STATE_STORE),
                Serdes.String(), stateSerde));
        // an entry only has to outlive the windows its event could still change: the scores' retention
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(COMMENT_VERSION_STORE,
                scoring.retention(), Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()));
        Duration bucket = Duration.ofMillis(scoring.bucket());
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(ARTICLE_SCORES_STORE,
                scoring.retention(), bucket, false), Serdes.String(), Serdes.Double()));
        builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(TAG_SCORES_STORE,
                scoring.retention(), bucket, false), Serdes.String(), Serdes.Double()));

        KStream<String, String> posts = builder.stream(postsTopic,
                Consumed.with(Serdes.String(), Serdes.String()).withTimestampExtractor(eventTime).withName("posts"));
        KStream<String, String> comments = builder.stream(commentsTopic,
                Consumed.with(Serdes.String(), Serdes.String()).withTimestampExtractor(eventTime).withName("comments"));

        posts.merge(comments, Named.as("events"))
                .process(() -> new ScoringProcessor(scoring, json, metrics), Named.as("score-articles"),
                        ARTICLE_STATE_STORE, COMMENT_VERSION_STORE, ARTICLE_SCORES_STORE)
                .repartition(Repartitioned.<String, TagDelta>as(TAG_DELTAS).withKeySerde(Serdes.String()).withValueSerde(deltaSerde))
                .process(TagScoreProcessor::new, Named.as("score-tags"), TAG_SCORES_STORE);
        return builder.build();
    }
}

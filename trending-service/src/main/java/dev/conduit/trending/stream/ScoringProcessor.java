package dev.conduit.trending.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.events.EventEnvelope;
import dev.conduit.events.comment.CommentAdded;
import dev.conduit.events.comment.CommentDeleted;
import dev.conduit.events.post.ArticleDeleted;
import dev.conduit.events.post.ArticleFavorited;
import dev.conduit.events.post.ArticlePublished;
import dev.conduit.events.post.ArticleUnfavorited;
import dev.conduit.events.post.ArticleUpdated;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies one event of {@code conduit.posts} or {@code conduit.comments} (both keyed by article id)
 * to the article's bucket scores (see {@link Scoring#bucket()}), and forwards the same change per tag
 * (re-keyed by tag, one record a tag) to {@link TagScoreProcessor}. An event is applied once: a post event only when its version is newer
 * than the article's last applied one, a comment event only when newer than its comment's (kept for
 * the scores' retention; a comment event older than that is ignored as {@code expired}).
 */
final class ScoringProcessor implements Processor<String, String, String, TagDelta> {

    private static final Logger LOG = Logger.getLogger(ScoringProcessor.class);
    /** A score this close to zero is no score: the entry is removed rather than kept at 1e-16. */
    static final double EPSILON = 1e-9;

    private final Scoring scoring;
    private final ObjectMapper json;
    private final TrendingMetrics metrics;
    private ProcessorContext<String, TagDelta> context;
    private KeyValueStore<String, ArticleState> articles;
    private WindowStore<String, Long> comments;
    private WindowStore<String, Double> scores;
    private Record<String, String> current;

    ScoringProcessor(Scoring scoring, ObjectMapper json, TrendingMetrics metrics) {
        this.scoring = scoring;
        this.json = json;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, TagDelta> context) {
        this.context = context;
        this.articles = context.getStateStore(TrendingTopology.ARTICLE_STATE_STORE);
        this.comments = context.getStateStore(TrendingTopology.COMMENT_VERSION_STORE);
        this.scores = context.getStateStore(TrendingTopology.ARTICLE_SCORES_STORE);
    }

    @Override
    public void process(Record<String, String> record) {
        current = record;
        EventEnvelope event;
        String articleId;
        try {
            event = json.readValue(record.value(), EventEnvelope.class);
            JsonNode id = event.data().get("articleId");
            articleId = id != null && id.isTextual() ? id.asText() : null;
        } catch (Exception e) {
            LOG.warnf("skipping a record that is not an event envelope (key %s): %s", record.key(), e.getMessage());
            metrics.ignored("invalid");
            return;
        }
        if (articleId == null) {
            metrics.ignored("invalid");
            return;
        }
        long t = record.timestamp();
        switch (event.type()) {
            case ArticlePublished.TYPE, ArticleUpdated.TYPE, ArticleDeleted.TYPE, ArticleFavorited.TYPE, ArticleUnfavorited.TYPE ->
                    applyPostEvent(articleId, event, t);
            case CommentAdded.TYPE, CommentDeleted.TYPE -> applyCommentEvent(articleId, event, t);
            default -> metrics.ignored("unknown-type");
        }
    }

    private void applyPostEvent(String articleId, EventEnvelope event, long t) {
        ArticleState state = stateOf(articleId);
        if (event.aggregateVersion() <= state.version()) {
            metrics.ignored(event.aggregateVersion() == state.version() ? "duplicate" : "stale");
            return;
        }
        if (state.deleted()) {
            articles.put(articleId, new ArticleState(event.aggregateVersion(), List.of(), true));
            metrics.ignored("deleted");
            return;
        }
        List<String> tags = state.tags();
        switch (event.type()) {
            case ArticlePublished.TYPE, ArticleUpdated.TYPE -> {
                tags = tagsOf(event.data());
                moveTags(articleId, state.tags(), tags);
                if (ArticlePublished.TYPE.equals(event.type())) {
                    add(articleId, tags, scoring.publication(), t);
                }
            }
            case ArticleFavorited.TYPE -> add(articleId, tags, scoring.favorite(), t);
            case ArticleUnfavorited.TYPE -> add(articleId, tags, -scoring.favorite(), t);
            case ArticleDeleted.TYPE -> {
                remove(articleId, tags);
                articles.put(articleId, new ArticleState(event.aggregateVersion(), List.of(), true));
                metrics.applied(event.type());
                return;
            }
            default -> throw new IllegalStateException(event.type());
        }
        articles.put(articleId, new ArticleState(event.aggregateVersion(), tags, false));
        metrics.applied(event.type());
    }

    private void applyCommentEvent(String articleId, EventEnvelope event, long t) {
        String commentId = event.aggregateId();
        if (t < context.currentStreamTimeMs() - scoring.retention().toMillis()) {
            // older than any window still kept: its version may be forgotten already, and it could
            // change no window that is served; applying it could only count a replay twice
            metrics.ignored("expired");
            return;
        }
        Long applied = appliedVersion(commentId);
        if (applied != null && event.aggregateVersion() <= applied) {
            metrics.ignored(event.aggregateVersion() == applied ? "duplicate" : "stale");
            return;
        }
        comments.put(commentId, event.aggregateVersion(), t);
        ArticleState state = stateOf(articleId);
        if (state.deleted()) {
            metrics.ignored("deleted");
            return;
        }
        if (state == ArticleState.UNKNOWN) {
            // the comment came before its article's first event (another topic): tags follow when that arrives
            articles.put(articleId, state);
        }
        double weight = CommentAdded.TYPE.equals(event.type()) ? scoring.comment() : -scoring.comment();
        add(articleId, state.tags(), weight, t);
        metrics.applied(event.type());
    }

    /** The highest version of the comment applied within the retention, or null. */
    private Long appliedVersion(String commentId) {
        Long applied = null;
        try (WindowStoreIterator<Long> it = comments.fetch(commentId, 0L, Long.MAX_VALUE)) {
            while (it.hasNext()) {
                Long version = it.next().value;
                if (version != null && (applied == null || version > applied)) {
                    applied = version;
                }
            }
        }
        return applied;
    }

    private ArticleState stateOf(String articleId) {
        ArticleState state = articles.get(articleId);
        return state == null ? ArticleState.UNKNOWN : state;
    }

    /** {@code weight} into the bucket of {@code t}, for the article and (one record each) its tags. */
    private void add(String articleId, List<String> tags, double weight, long t) {
        long bucket = scoring.bucketStart(t);
        Double old = scores.fetch(articleId, bucket);
        put(articleId, (old == null ? 0 : old) + weight, bucket);
        if (!tags.isEmpty()) {
            TagDelta delta = TagDelta.of(bucket, weight);
            for (String tag : tags) {
                forward(tag, delta);
            }
        }
    }

    /** The article's scores now count for {@code now} instead of {@code before}: its buckets, one record a tag. */
    private void moveTags(String articleId, List<String> before, List<String> now) {
        Set<String> removed = new LinkedHashSet<>(before);
        now.forEach(removed::remove);
        Set<String> added = new LinkedHashSet<>(now);
        before.forEach(added::remove);
        if (removed.isEmpty() && added.isEmpty()) {
            return;
        }
        TagDelta given = bucketsOf(articleId);
        if (given == null) {
            return;
        }
        TagDelta takenBack = given.negated();
        removed.forEach(tag -> forward(tag, takenBack));
        added.forEach(tag -> forward(tag, given));
    }

    /** The article leaves the ranking, and each of its tags loses (in one record) what it gave it in every bucket. */
    private void remove(String articleId, List<String> tags) {
        TagDelta given = bucketsOf(articleId);
        if (given == null) {
            return;
        }
        TagDelta takenBack = given.negated();
        tags.forEach(tag -> forward(tag, takenBack));
        for (long bucket : given.buckets()) {
            scores.put(articleId, null, bucket);
        }
    }

    /** The article's non-zero buckets still kept, or null if none. */
    private TagDelta bucketsOf(String articleId) {
        List<KeyValue<Long, Double>> buckets = new ArrayList<>();
        try (WindowStoreIterator<Double> it = scores.fetch(articleId, 0L, Long.MAX_VALUE)) {
            it.forEachRemaining(kv -> {
                if (kv.value != null) {
                    buckets.add(kv);
                }
            });
        }
        if (buckets.isEmpty()) {
            return null;
        }
        long[] starts = new long[buckets.size()];
        double[] values = new double[buckets.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = buckets.get(i).key;
            values[i] = buckets.get(i).value;
        }
        return new TagDelta(starts, values);
    }

    private void put(String articleId, double score, long bucket) {
        scores.put(articleId, Math.abs(score) < EPSILON ? null : score, bucket);
    }

    private void forward(String tag, TagDelta delta) {
        context.forward(current.withKey(tag).withValue(delta));
    }

    private List<String> tagsOf(JsonNode data) {
        JsonNode list = data.get("tagList");
        List<String> tags = new ArrayList<>();
        if (list != null && list.isArray()) {
            list.forEach(tag -> {
                if (tag.isTextual() && !tag.asText().isBlank() && !tags.contains(tag.asText())) {
                    tags.add(tag.asText());
                }
            });
        }
        return tags;
    }
}

package dev.conduit.support.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.support.error.ApiException;
import dev.conduit.support.error.ErrorEnvelope;
import dev.conduit.support.security.Caller;
import dev.conduit.support.security.Callers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live updates of this instance: one {@link LiveTail} per topic (started by the first stream that
 * needs it, or by a {@link TailListener} that {@link #follow}s the topic), the count of open streams against {@code conduit.live.max-streams}, resumes from a
 * {@code Last-Event-ID}, and the metrics {@code conduit_live_streams_open},
 * {@code conduit_live_events_delivered_total{stream}} and {@code conduit_live_overflows_total{stream}}.
 * A service's Vert.x route checks its own rules (caller, 404) and then calls {@link #open}.
 */
@ApplicationScoped
public class LiveHub {

    public static final String LAST_EVENT_ID = "Last-Event-ID";
    private static final Logger LOG = Logger.getLogger(LiveHub.class);

    private final LiveConfig config;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final ObjectMapper json;
    private final Map<String, Object> consumerConfig;
    private final Map<String, LiveTail> tails = new ConcurrentHashMap<>();
    private final Set<LiveSubscription> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger slots = new AtomicInteger();
    private final AtomicLong resumes = new AtomicLong();
    private final AtomicInteger openGauge;
    private volatile Thread shutdownHook;

    public LiveHub(LiveConfig config, Vertx vertx, MeterRegistry registry, ObjectMapper json,
                   @Identifier("default-kafka-broker") Map<String, Object> kafka,
                   @ConfigProperty(name = "quarkus.application.name", defaultValue = "service") String application) {
        this.config = config;
        this.vertx = vertx;
        this.registry = registry;
        this.json = json;
        this.consumerConfig = consumerConfig(kafka, application);
        this.openGauge = new AtomicInteger();
        Gauge.builder("conduit.live.streams.open", openGauge, AtomicInteger::get)
                .description("live streams (Server-Sent Events) open on this instance").register(registry);
    }

    static Map<String, Object> consumerConfig(Map<String, Object> kafka, String application) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key) && value != null && !String.valueOf(value).isEmpty()) {
                config.put(key, value);
            }
        });
        // no group: assign only, nothing to commit, nothing left behind by a kill -9
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "live-" + application);
        return config;
    }

    LiveConfig config() {
        return config;
    }

    /** The client's cursor: the {@code Last-Event-ID} header, else the {@code lastEventId} query parameter (for clients that cannot set headers). */
    public static Optional<String> lastEventId(RoutingContext ctx) {
        String header = ctx.request().getHeader(LAST_EVENT_ID);
        if (header == null || header.isBlank()) {
            header = ctx.request().getParam("lastEventId");
        }
        return header == null || header.isBlank() ? Optional.empty() : Optional.of(header.trim());
    }

    /** The caller of a Vert.x route (authentication is lazy): empty when anonymous; an invalid token fails, as a 401. */
    public static Uni<Optional<Caller>> caller(RoutingContext ctx) {
        return QuarkusHttpUser.getSecurityIdentity(ctx, null)
                .map(Callers::toCaller);
    }

    /**
     * Opens the stream {@code stream} resolves to on this request (it fails with an
     * {@link ApiException} for the service's own refusals: 401, 404): 503 beyond
     * {@code max-streams}, checked first, or while the topic's reader cannot start, 400 for a
     * {@code Last-Event-ID} that is not this stream's, else 200 and the events from the cursor on
     * (or from now on, without one). Call it on the request's event loop.
     */
    public void open(RoutingContext ctx, Uni<? extends LiveStream> stream) {
        if (slots.incrementAndGet() > config.maxStreams()) {
            slots.decrementAndGet();
            ctx.response().putHeader("Retry-After", "5");
            fail(ctx, new ApiException(503, "too many live streams open on this instance, retry later"));
            return;
        }
        openGauge.incrementAndGet();
        endStreamsOnSignal();
        Context context = vertx.getOrCreateContext();
        stream.emitOn(command -> context.runOnContext(v -> command.run())).subscribe().with(
                resolved -> start(ctx, context, resolved),
                failure -> {
                    free();
                    fail(ctx, failure);
                });
    }

    private void start(RoutingContext ctx, Context context, LiveStream stream) {
        LiveTail tail = tail(stream.topic());
        tail.ready().copy().orTimeout(config.startTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((partitions, failure) ->
                context.runOnContext(v -> {
                    if (failure != null) {
                        free();
                        fail(ctx, new ApiException(503, "live updates are unavailable right now, retry later"));
                        return;
                    }
                    join(ctx, context, stream, tail, partitions);
                }));
    }

    private void join(RoutingContext ctx, Context context, LiveStream stream, LiveTail tail, int partitions) {
        CursorFormat format = stream.cursorFormat(partitions);
        long[] cursor;
        try {
            cursor = lastEventId(ctx).map(text -> format.decode(text, partitions)).orElse(null);
        } catch (IllegalArgumentException e) {
            free();
            fail(ctx, new ApiException(400, "Last-Event-ID is not a position of this stream: " + e.getMessage()));
            return;
        }
        LiveSubscription subscription = new LiveSubscription(this, stream, format, ctx, context, tail, config.buffer());
        long[] end;
        try {
            end = tail.subscribe(subscription);
        } catch (IllegalStateException stopped) {
            // the reader stopped between its start and this join
            free();
            fail(ctx, new ApiException(503, "live updates are unavailable right now, retry later"));
            return;
        }
        open.add(subscription);
        if (ctx.response().closed()) {
            subscription.finish(false);
            return;
        }
        if (cursor == null) {
            subscription.start(end.clone(), List.of(), null, false);
            return;
        }
        vertx.<Replay>executeBlocking(() -> replay(stream, tail.topic(), cursor, end), false).onComplete(result ->
                context.runOnContext(v -> {
                    if (result.failed()) {
                        subscription.finish(false);
                        fail(ctx, result.cause() instanceof ApiException api ? api
                                : new ApiException(503, "live updates are unavailable right now, retry later"));
                        return;
                    }
                    Replay replay = result.result();
                    subscription.start(replay.start(), replay.records(), end, replay.reset());
                }));
    }

    private record Replay(long[] start, List<LiveRecord> records, boolean reset) {
    }

    /**
     * What lies between the client's cursor and the reader's position when the stream joined, read
     * by a short-lived consumer of its own: the records the stream accepts, in each partition's order.
     */
    private Replay replay(LiveStream stream, String topic, long[] cursor, long[] end) {
        long[] start = cursor.clone();
        List<TopicPartition> behind = new ArrayList<>();
        List<TopicPartition> ahead = new ArrayList<>();
        long missing = 0;
        for (int p = 0; p < start.length; p++) {
            if (start[p] < 0 || p >= end.length) {
                start[p] = p < end.length ? end[p] : 0;
            } else if (start[p] < end[p]) {
                behind.add(new TopicPartition(topic, p));
                missing += end[p] - start[p];
            } else if (start[p] > end[p]) {
                ahead.add(new TopicPartition(topic, p));
            }
        }
        if (behind.isEmpty() && ahead.isEmpty()) {
            return new Replay(start, List.of(), false);
        }
        Map<String, Object> settings = new HashMap<>(consumerConfig);
        // one client id per consumer: the client's metrics and MBeans are registered by it
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, consumerConfig.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-" + topic
                + "-resume-" + resumes.incrementAndGet());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            if (!ahead.isEmpty()) {
                // another instance's reader may be a little further; a position past the log's end is no cursor
                Map<TopicPartition, Long> logEnd = consumer.endOffsets(ahead, Duration.ofSeconds(5));
                for (TopicPartition partition : ahead) {
                    if (start[partition.partition()] > logEnd.get(partition)) {
                        throw new ApiException(400, "Last-Event-ID is not a position of this stream: past the end");
                    }
                }
            }
            if (missing > config.maxReplay()) {
                for (TopicPartition partition : behind) {
                    start[partition.partition()] = end[partition.partition()];
                }
                return new Replay(start, List.of(), true);
            }
            if (behind.isEmpty()) {
                return new Replay(start, List.of(), false);
            }
            consumer.assign(behind);
            for (TopicPartition partition : behind) {
                consumer.seek(partition, start[partition.partition()]);
            }
            Map<Integer, ArrayDeque<Timed>> byPartition = new HashMap<>();
            long deadline = System.nanoTime() + config.startTimeout().toNanos();
            while (behind.stream().anyMatch(tp -> consumer.position(tp) < end[tp.partition()])) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read back " + topic + " in time");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end[record.partition()]) {
                        LiveRecord live = new LiveRecord(record.partition(), record.offset(), record.key(),
                                LiveTail.type(record), record.value(), null);
                        if (stream.accepts(live)) {
                            byPartition.computeIfAbsent(record.partition(), p -> new ArrayDeque<>())
                                    .add(new Timed(record.timestamp(), live));
                        }
                    }
                }
            }
            return new Replay(start, interleave(byPartition.values()), false);
        }
    }

    record Timed(long timestamp, LiveRecord record) {
    }

    /**
     * The records read back in the order they were written, as near as the topic tells: each
     * partition in its own order (which the cursor needs), partitions interleaved by record time.
     */
    static List<LiveRecord> interleave(Collection<ArrayDeque<Timed>> partitions) {
        List<LiveRecord> ordered = new ArrayList<>();
        List<ArrayDeque<Timed>> left = new ArrayList<>(partitions);
        while (true) {
            ArrayDeque<Timed> earliest = null;
            for (ArrayDeque<Timed> partition : left) {
                if (!partition.isEmpty() && (earliest == null || partition.peek().timestamp() < earliest.peek().timestamp())) {
                    earliest = partition;
                }
            }
            if (earliest == null) {
                return ordered;
            }
            ordered.add(earliest.poll().record());
        }
    }

    /**
     * Follows {@code topic} through this instance's reader of it (started if need be, shared with
     * the live streams of that topic): completes, with the reader's position per partition, once
     * {@code listener} receives every record from that position on, fails when the reader cannot start (then, and when a running reader
     * stops, the listener decides whether to follow again). For what must hear of every change in
     * this instance, e.g. an in-memory cache of a read model.
     */
    public CompletableFuture<long[]> follow(String topic, TailListener listener) {
        LiveTail tail = tail(topic);
        return tail.ready().thenApply(partitions -> tail.subscribe(listener));
    }

    private synchronized LiveTail tail(String topic) {
        LiveTail tail = tails.get(topic);
        if (tail == null || tail.dead()) {
            Map<String, Object> settings = new HashMap<>(consumerConfig);
            settings.put(ConsumerConfig.CLIENT_ID_CONFIG, consumerConfig.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-" + topic
                    + "-" + tails.size());
            tail = new LiveTail(topic, settings);
            tails.put(topic, tail);
            tail.start();
        }
        return tail;
    }

    void released(LiveSubscription subscription) {
        if (open.remove(subscription)) {
            free();
        }
    }

    private void free() {
        slots.decrementAndGet();
        openGauge.decrementAndGet();
    }

    void delivered(String stream, int count) {
        Counter.builder("conduit.live.events.delivered").tag("stream", stream)
                .description("events written to live streams").register(registry).increment(count);
    }

    void overflowed(String stream) {
        Counter.builder("conduit.live.overflows").tag("stream", stream)
                .description("live streams closed because their client fell behind").register(registry).increment();
    }

    /** Streams open on this instance now. */
    public int openStreams() {
        return slots.get();
    }

    /** Answers a Vert.x route's failure in the error envelope: an {@link ApiException}'s status, 401 for a bad token, else 503. */
    public void fail(RoutingContext ctx, Throwable failure) {
        int status;
        List<String> messages;
        if (failure instanceof ApiException api) {
            status = api.status();
            messages = api.messages();
        } else if (failure instanceof AuthenticationFailedException) {
            status = 401;
            messages = List.of(Callers.INVALID_TOKEN);
        } else {
            LOG.warnf("live stream refused: %s", failure.toString());
            status = 503;
            messages = List.of("live updates are unavailable right now, retry later");
        }
        if (ctx.response().headWritten() || ctx.response().closed()) {
            return;
        }
        if (status == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Token");
        }
        String body;
        try {
            body = json.writeValueAsString(ErrorEnvelope.of(messages));
        } catch (JsonProcessingException e) {
            body = "{\"errors\":{\"body\":[\"error\"]}}";
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    /**
     * Quarkus waits up to {@code quarkus.shutdown.timeout} for open requests before it fires
     * {@link ShutdownEvent}, and a stream never ends by itself: on SIGTERM this hook (run alongside
     * Quarkus' own) ends every stream at once, so a shutdown is not held up by them; clients
     * reconnect with their {@code Last-Event-ID}, to another instance.
     */
    private void endStreamsOnSignal() {
        if (shutdownHook == null) {
            synchronized (this) {
                if (shutdownHook == null) {
                    shutdownHook = new Thread(this::endStreams, "live-streams-end");
                    try {
                        Runtime.getRuntime().addShutdownHook(shutdownHook);
                    } catch (IllegalStateException e) {
                        // already shutting down
                    }
                }
            }
        }
    }

    private void endStreams() {
        for (LiveSubscription subscription : List.copyOf(open)) {
            subscription.readerStopped();
        }
    }

    /** Only where streams were served: a service that never opened one does not make this bean to stop it. */
    void stop(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        endStreams();
        tails.values().forEach(LiveTail::stop);
        Thread hook = shutdownHook;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook runs or ran
            }
        }
    }
}

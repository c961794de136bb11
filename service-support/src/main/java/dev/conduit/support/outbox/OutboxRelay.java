package dev.conduit.support.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.conduit.support.tracing.EventTracing;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes the events that aggregates hold in their {@code pendingEvents} array, in order, keyed by
 * aggregate id (or the event's own {@code key}), and removes them ({@code $pull} by event id) only after Kafka acknowledged them.
 *
 * <p>One aggregate is relayed by one loop at a time: inside an instance a request counter
 * serialises loops, across instances a short lease in the document does, so an aggregate's events
 * reach Kafka in version order. A failure leaves the events pending and marks the relay behind:
 * {@link #sweepIfBehind} retries them within about a second, the periodic sweep in any case.
 * Delivery is at least once: a crash between Kafka's ack and the {@code $pull} publishes the event
   * again, which consumers ignore by version.
 *
 * <p>A document marked {@code deleted: true} is a tombstone: it stays only until its last event is
 * out, and the relay then removes it.
 *
 * <p>Made per aggregate collection by {@link Outboxes#relay}; {@link OutboxSchedule} sweeps every relay.
 */
public final class OutboxRelay {

    public static final String PENDING = "pendingEvents";
    /** What the sweep looks for: a sparse index on it holds only the documents with pending events. */
    private static final String PENDING_INDEXED = PENDING + ".eventId";
    /** A document with {@code deleted: true} is removed once nothing is pending. */
    public static final String TOMBSTONE = "deleted";
    private static final String LEASE = "relayLease";
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** At most this many aggregates' releases in one update; the rest go in the next. */
    private static final int MAX_RELEASE_BATCH = 128;

    private final ReactiveMongoCollection<Document> collection;
    private final ReactiveMongoCollection<OutboxDocument> outboxes;
    private final MutinyEmitter<String> emitter;
    private final ObjectMapper json;
    private final Duration leaseTime;
    private final String owner = UUID.randomUUID().toString();
    private final Map<Object, Integer> requests = new ConcurrentHashMap<>();
    /** A relay failed since the last sweep: events wait that should go as soon as Kafka takes them. */
    private volatile boolean behind;
    /** Releases waiting for the next write, and whether one is being written; both guarded by {@code releases}. */
    private final ArrayDeque<Release> releases = new ArrayDeque<>();
    private boolean releasing;

    OutboxRelay(ReactiveMongoCollection<Document> collection, MutinyEmitter<String> emitter, ObjectMapper json,
                Duration leaseTime) {
        this.collection = collection;
        this.outboxes = collection.withDocumentClass(OutboxDocument.class);
        this.emitter = emitter;
        this.json = json;
        this.leaseTime = leaseTime;
    }

    /**
     * The relay's own indexes, so that neither the sweep nor the tombstone removal scans the
     * collection on a real MongoDB: a sparse index of the pending events (only documents that
     * have some are in it) and one on {@code deleted}.
     */
    public Uni<Void> createIndexes() {
        return collection.createIndex(Indexes.ascending(PENDING_INDEXED), new IndexOptions().name("outbox_pending").sparse(true))
                .chain(() -> collection.createIndex(Indexes.ascending(TOMBSTONE), new IndexOptions().name("outbox_tombstones").sparse(true)))
                .replaceWithVoid();
    }

    /** The collection this relay serves. */
    public String collectionName() {
        return collection.getNamespace().getCollectionName();
    }

    /** Relays what aggregate {@code id} has pending. Never fails: what is not sent stays pending. */
    public Uni<Void> publish(Object id) {
        int requested = requests.merge(id, 1, Integer::sum);
        if (requested > 1) {
            // a loop for this aggregate runs already and will see the new request before it ends
            return Uni.createFrom().voidItem();
        }
        return loop(id, requested);
    }

    /**
     * A lease held by this relay, to store as {@code relayLease} in an aggregate's first insert; then
     * {@link #publishNewSoon} sends the events it was inserted with, without a lease write or a read.
     */
    public RelayLease newLease() {
        return new RelayLease(owner, Date.from(Instant.now().plus(leaseTime)));
    }

    /**
     * Relays the events of aggregate {@code id}, just inserted with {@link #newLease()} and
     * {@code events} as its pending events; then goes on as {@link #publish} if more was requested
     * meanwhile. Never fails: what is not sent stays pending (and the lease expires).
     */
    public void publishNewSoon(Object id, List<PendingEvent> events) {
        int requested = requests.merge(id, 1, Integer::sum);
        Uni<Void> relay = requested > 1 ? Uni.createFrom().voidItem()
                : after(sendAndRelease(id, events, false), id, requested);
        relay.subscribe().with(ignored -> { }, e -> LOG.warn("relay of " + id + " failed", e));
    }

    /** {@link #publish} without waiting: requests never wait for Kafka. */
    public void publishSoon(Object id) {
        publish(id).subscribe().with(ignored -> { }, e -> LOG.warn("relay of " + id + " failed", e));
    }

    /** {@link #sweep} without waiting, e.g. at start-up. */
    public void sweepSoon() {
        sweep().subscribe().with(ignored -> { }, e -> LOG.warn("outbox sweep failed", e));
    }

    /**
     * {@link #sweep} only if a relay failed since the last one (Kafka was away): called often, so
     * that events held back by an outage go out within a second or so of Kafka's return, while the
     * full periodic sweep (for what a crashed process left behind) stays infrequent.
     */
    public Uni<Void> sweepIfBehind() {
        if (!behind) {
            return Uni.createFrom().voidItem();
        }
        behind = false;
        return sweep();
    }

    /**
     * Relays every aggregate that still holds pending events (at start-up and periodically), then
     * removes the tombstones whose last event is out.
     */
    public Uni<Void> sweep() {
        return collection.find(Filters.exists(PENDING_INDEXED), new FindOptions().projection(Projections.include("_id")))
                .onItem().transformToUniAndConcatenate(doc -> publish(doc.get("_id")))
                .collect().last().replaceWithVoid()
                .chain(() -> collection.deleteMany(Filters.and(Filters.eq(TOMBSTONE, true), nothingPending())))
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    behind = true;
                    LOG.warnf("outbox sweep of %s failed, will retry: %s", collection.getNamespace(), e.getMessage());
                    return null;
                });
    }

    private Uni<Void> loop(Object id, int seen) {
        return after(drain(id), id, seen);
    }

    /** Runs {@code relay}, then another loop if requests for {@code id} came in meanwhile. */
    private Uni<Void> after(Uni<Void> relay, Object id, int seen) {
        return relay
                .onFailure().recoverWithItem(e -> {
                    behind = true;
                    LOG.warnf("relaying events of %s failed, they stay pending: %s", id, e.getMessage());
                    return null;
                })
                .chain(() -> {
                    Integer left = requests.compute(id, (k, v) -> v == null || v == seen ? null : v);
                    return left == null ? Uni.createFrom().voidItem() : loop(id, left);
                });
    }

    /**
     * Takes the lease (reading the pending events in the same call), publishes them one after the
     * other, then in one update removes what Kafka acknowledged and releases the lease; removes the
     * document when it is a tombstone with nothing left to send. Two writes per drain whatever the
     * number of events, and no query that the store cannot answer by the {@code _id} index.
     */
    private Uni<Void> drain(Object id) {
        Date now = new Date();
        Bson leaseFree = Filters.or(Filters.exists(LEASE, false), Filters.lt(LEASE + ".until", now),
                Filters.eq(LEASE + ".owner", owner));
        Document lease = new Document("owner", owner).append("until", Date.from(Instant.now().plus(leaseTime)));
        return outboxes.findOneAndUpdate(Filters.and(Filters.eq("_id", id), leaseFree), Updates.set(LEASE, lease),
                        new FindOneAndUpdateOptions().projection(Projections.include(PENDING, TOMBSTONE))
                                .returnDocument(ReturnDocument.AFTER))
                .chain(outbox -> {
                    if (outbox == null) {
                        // gone, or another instance holds the lease and relays it
                        return Uni.createFrom().voidItem();
                    }
                    return sendAndRelease(id, outbox.pendingEvents == null ? List.of() : outbox.pendingEvents, outbox.deleted);
                });
    }

    /**
     * Under the lease: publishes {@code pending} one after the other, then removes what Kafka
     * acknowledged and releases the lease in one update; removes a tombstone whose events all went.
     */
    private Uni<Void> sendAndRelease(Object id, List<PendingEvent> pending, boolean tombstone) {
        List<String> sent = new ArrayList<>(pending.size());
        return Multi.createFrom().iterable(pending)
                .onItem().transformToUniAndConcatenate(event -> send(id, event).invoke(() -> sent.add(event.eventId)))
                .collect().last()
                // what went out is removed even when a later send failed, so it is not sent twice
                .eventually(() -> release(id, sent))
                .chain(() -> tombstone && sent.size() == pending.size()
                        ? collection.deleteOne(Filters.and(Filters.eq("_id", id), Filters.eq(TOMBSTONE, true),
                                nothingPending())).replaceWithVoid()
                        : Uni.createFrom().voidItem());
    }

    /**
     * Removes the events Kafka acknowledged and releases the lease while this relay still holds it;
     * if it expired meanwhile (and another relay may hold it now), only removes them. The lease is
     * expired rather than {@code $unset}: a document whose fields come and go while it is being read
     * makes the MongoDB-wire imitation drop the connection.
     *
     * <p>Written as a group commit: while one release is being written, the releases of other
     * aggregates queue up and go together in the next write, one {@code updateMany} by {@code _id}
     * for the whole batch. A lone release goes at once (no timer, no added latency when quiet);
     * under a write load one round trip serves many aggregates. An aggregate is in a batch at most
     * once (its relay loop waits for its release), so its events still leave in version order.
     */
    private Uni<Void> release(Object id, List<String> sent) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean writeNow;
        synchronized (releases) {
            releases.add(new Release(id, sent, done));
            writeNow = !releasing;
            releasing = true;
        }
        if (writeNow) {
            writeReleases();
        }
        return Uni.createFrom().completionStage(done);
    }

    /** Writes what is queued, then what queued up meanwhile, until nothing is left. */
    private void writeReleases() {
        List<Release> batch = new ArrayList<>();
        synchronized (releases) {
            while (!releases.isEmpty() && batch.size() < MAX_RELEASE_BATCH) {
                batch.add(releases.poll());
            }
            if (batch.isEmpty()) {
                releasing = false;
                return;
            }
        }
        Uni<Void> write;
        try {
            write = batch.size() == 1 ? releaseOne(batch.get(0).id(), batch.get(0).sent()) : releaseAll(batch);
        } catch (RuntimeException e) {
            write = Uni.createFrom().failure(e);
        }
        write.subscribe().with(ignored -> {
            batch.forEach(r -> r.done().complete(null));
            writeReleases();
        }, failure -> {
            batch.forEach(r -> r.done().completeExceptionally(failure));
            writeReleases();
        });
    }

    private Uni<Void> releaseOne(Object id, List<String> sent) {
        Bson pull = Updates.pull(PENDING, Filters.in("eventId", sent));
        Bson expire = Updates.set(LEASE + ".until", new Date(0));
        Bson update = sent.isEmpty() ? expire : Updates.combine(pull, expire);
        return collection.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq(LEASE + ".owner", owner)), update)
                .chain(result -> result.getMatchedCount() > 0 || sent.isEmpty() ? Uni.createFrom().voidItem()
                        : collection.updateOne(Filters.eq("_id", id), pull).replaceWithVoid())
                .replaceWithVoid();
    }

    /**
     * Several aggregates' releases in one update. Event ids are unique, so pulling the union of
     * what was sent from each document removes exactly its own. Where the lease was lost meanwhile
     * (fewer documents matched than were released), the sent events are pulled without the lease
     * condition, which changes nothing where they are gone already.
     */
    private Uni<Void> releaseAll(List<Release> batch) {
        List<Object> ids = new ArrayList<>(batch.size());
        List<Object> withSent = new ArrayList<>(batch.size());
        List<String> sent = new ArrayList<>();
        for (Release r : batch) {
            ids.add(r.id());
            if (!r.sent().isEmpty()) {
                withSent.add(r.id());
                sent.addAll(r.sent());
            }
        }
        Bson pull = Updates.pull(PENDING, Filters.in("eventId", sent));
        Bson expire = Updates.set(LEASE + ".until", new Date(0));
        return collection.updateMany(Filters.and(Filters.in("_id", ids), Filters.eq(LEASE + ".owner", owner)),
                        sent.isEmpty() ? expire : Updates.combine(pull, expire))
                .chain(result -> result.getMatchedCount() >= ids.size() || withSent.isEmpty() ? Uni.createFrom().voidItem()
                        : collection.updateMany(Filters.in("_id", withSent), pull).replaceWithVoid())
                .replaceWithVoid();
    }

    /** One aggregate's release, waiting for the batch it goes in. */
    private record Release(Object id, List<String> sent, CompletableFuture<Void> done) {
    }

    private static Bson nothingPending() {
        return Filters.exists(PENDING + ".0", false);
    }

    private Uni<Void> send(Object id, PendingEvent event) {
        String aggregateId = id instanceof ObjectId oid ? oid.toHexString() : String.valueOf(id);
        String value;
        try {
            value = json.writeValueAsString(event.envelope(aggregateId, json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the envelope of " + event.eventId, e);
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.key == null ? aggregateId : event.key)
                .withHeaders(List.of(
                        new RecordHeader("conduit-event-type", event.type.getBytes(StandardCharsets.UTF_8)),
                        new RecordHeader("conduit-event-id", event.eventId.getBytes(StandardCharsets.UTF_8))))
                .build();
        Message<String> message = Message.of(value).addMetadata(metadata).addMetadata(EventRecords.cloudEvent(event, aggregateId));
        return emitter.sendMessage(EventTracing.continuing(message, event.traceparent));
    }
}

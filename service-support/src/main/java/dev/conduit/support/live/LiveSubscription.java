package dev.conduit.support.live;

import dev.conduit.support.error.ApiException;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open stream. The reader offers records into a bounded queue and never waits; the stream's
 * event loop takes them one at a time (render, then write), in order, and stops taking while the
 * connection's write queue is full, resuming on drain. A full record queue means the client fell
 * behind: it gets {@code event: overflow}, the response ends, and after a grace the connection is
 * closed whether or not the client read it. Everything but {@link #offer} runs on the event loop.
 */
final class LiveSubscription implements TailListener {

    private static final Logger LOG = Logger.getLogger(LiveSubscription.class);

    private final LiveHub hub;
    private final LiveStream stream;
    private final CursorFormat format;
    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final Context context;
    private final LiveTail tail;
    private final ArrayBlockingQueue<LiveRecord> queue;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean overflowed;

    // event loop only
    private final ArrayDeque<LiveRecord> replay = new ArrayDeque<>();
    private long[] replayEnd;
    private boolean started;
    private boolean busy;
    private boolean finished;
    private long keepAliveTimer = -1;
    /** Next offset per partition: what the client has been given (or passed) so far. */
    private long[] next;

    LiveSubscription(LiveHub hub, LiveStream stream, CursorFormat format, RoutingContext ctx, Context context, LiveTail tail, int buffer) {
        this.hub = hub;
        this.stream = stream;
        this.format = format;
        this.ctx = ctx;
        this.response = ctx.response();
        this.context = context;
        this.tail = tail;
        this.queue = new ArrayBlockingQueue<>(buffer);
    }

    String streamName() {
        return stream.name();
    }

    /** Reader thread, under its lock: never blocks. False when this stream is to be dropped. */
    @Override
    public boolean offer(LiveRecord record) {
        if (overflowed) {
            return false;
        }
        if (!stream.accepts(record)) {
            return true;
        }
        if (!queue.offer(record)) {
            overflowed = true;
            context.runOnContext(v -> overflow());
            return false;
        }
        schedule();
        return true;
    }

    /** The reader died: end the stream; the client reconnects with its Last-Event-ID. */
    @Override
    public void readerStopped() {
        context.runOnContext(v -> finish(true));
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                scheduled.set(false);
                pump();
            });
        }
    }

    /**
     * Starts the stream: {@code start} is the cursor the client resumes from (unknown partitions
     * already set to the reader's position), {@code records} what was read back from it up to
     * {@code end}, the reader's position when this stream joined.
     */
    void start(long[] start, List<LiveRecord> records, long[] end, boolean reset) {
        if (finished) {
            return;
        }
        if (response.closed()) {
            // the client left while its stream was being prepared
            finish(false);
            return;
        }
        next = start;
        replay.addAll(records);
        replayEnd = end;
        started = true;
        response.setChunked(true);
        response.setStatusCode(200);
        response.putHeader("Content-Type", "text/event-stream; charset=utf-8");
        response.putHeader("Cache-Control", "no-cache");
        response.putHeader("X-Accel-Buffering", "no");
        response.closeHandler(v -> finish(false));
        response.exceptionHandler(e -> finish(false));
        response.write(reset ? "event: reset\ndata: {}\n\n" : ": live\n\n");
        long every = hub.config().keepAlive().toMillis();
        keepAliveTimer = ctx.vertx().setPeriodic(every, id -> context.runOnContext(x -> {
            if (!finished && !response.writeQueueFull()) {
                response.write(": keep-alive\n\n");
            }
        }));
        pump();
    }

    private void pump() {
        if (!started || finished || busy) {
            return;
        }
        while (!response.writeQueueFull()) {
            LiveRecord record = replay.poll();
            if (record == null) {
                if (replayEnd != null) {
                    merge(replayEnd);
                    replayEnd = null;
                }
                record = queue.poll();
            }
            if (record == null) {
                return;
            }
            int p = record.partition();
            if (p >= next.length || record.offset() < next[p]) {
                continue; // given already (a cursor ahead of this instance's reader)
            }
            next[p] = record.offset() + 1;
            if (record.positions() != null) {
                merge(record.positions());
            }
            String id = format.encode(next);
            busy = true;
            stream.render(record)
                    .emitOn(command -> context.runOnContext(v -> command.run()))
                    .subscribe().with(events -> {
                        busy = false;
                        write(id, events);
                        pump();
                    }, failure -> {
                        busy = false;
                        // never skip an event: end the stream, the client resumes from the last id it got
                        LOG.warnf("live %s stream ended: %s", stream.name(), failure.toString());
                        finish(true);
                    });
            return;
        }
        response.drainHandler(v -> pump());
    }

    private void merge(long[] positions) {
        for (int p = 0; p < Math.min(positions.length, next.length); p++) {
            next[p] = Math.max(next[p], positions[p]);
        }
    }

    private void write(String id, List<SseEvent> events) {
        if (finished || events.isEmpty() || response.closed()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (SseEvent event : events) {
            text.append("id: ").append(id).append('\n')
                    .append("event: ").append(event.type()).append('\n')
                    .append("data: ").append(event.data()).append("\n\n");
        }
        response.write(Buffer.buffer(text.toString()));
        hub.delivered(stream.name(), events.size());
    }

    private void overflow() {
        if (finished) {
            return;
        }
        hub.overflowed(stream.name());
        finish(false);
        if (!started) {
            // more arrived while its read-back was being prepared than its buffer holds
            hub.fail(ctx, new ApiException(503, "too many events to catch up with, retry later"));
            return;
        }
        if (response.closed()) {
            return;
        }
        response.write("event: overflow\ndata: {\"reason\":\"the client fell behind; reconnect with Last-Event-ID\"}\n\n");
        // the connection is not reused: closed once the end is handed to the system (whose buffers
        // still deliver it), or after the grace when a client that does not read never takes it
        if (!response.ended() && !response.closed()) {
            response.end().onComplete(v -> closeConnection());
        }
        ctx.vertx().setTimer(Math.max(1, hub.config().overflowGrace().toMillis()), id -> closeConnection());
    }

    private void closeConnection() {
        if (!response.closed()) {
            ctx.request().connection().close();
        }
    }

    /** Idempotent: leaves the reader, stops the timer, frees the slot, and ends the response if asked. */
    void finish(boolean end) {
        if (finished) {
            return;
        }
        finished = true;
        tail.unsubscribe(this);
        queue.clear();
        replay.clear();
        if (keepAliveTimer >= 0) {
            ctx.vertx().cancelTimer(keepAliveTimer);
        }
        hub.released(this);
        if (end && !response.ended() && !response.closed()) {
            if (started) {
                response.end();
            } else {
                ctx.request().connection().close();
            }
        }
    }
}

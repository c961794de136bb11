package dev.conduit.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A closed-loop load generator like wrk: {@code connections} keep-alive HTTP/1.1 connections spread
 * over {@code threads} Vert.x event loops, each sending its next request as soon as the previous
 * answer is read (no pipelining). Nothing is recorded during the warm-up; during the measured
 * window every answer read is counted and its latency (from writing the request to reading the
 * whole answer) goes into an HdrHistogram. Like wrk without {@code -R}, latencies are not corrected
 * for coordinated omission.
 */
final class LoadGenerator {

    /** What to send: {@code body} gets the request's number (unique across connections), null for none. */
    record Request(HttpMethod method, int port, String uri, String token, LongFunction<String> body) {
    }

    /** Called from the driving thread at the edges of the measured window, while the load runs. */
    interface Window {
        void opened();

        void closing();
    }

    /** What one run measured: 2xx answers, everything else by kind, latencies of the 2xx in microseconds. */
    record Result(long ok, Map<String, Long> errors, Histogram latencies, double seconds) {

        double perSecond() {
            return ok / seconds;
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        double percentileMs(double percentile) {
            return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private static final int WARMUP = 0;
    private static final int MEASURING = 1;
    private static final int STOPPING = 2;
    /** A request with no byte back for this long is an error; it also bounds how long a run can take to drain. */
    private static final long IDLE_TIMEOUT_MS = 30_000;

    private final Vertx vertx;

    LoadGenerator(Vertx vertx) {
        this.vertx = vertx;
    }

    Result run(Request request, int connections, int threads, Duration warmup, Duration measured, Window window) {
        Shared shared = new Shared();
        List<Loop> loops = new ArrayList<>();
        List<String> deployments = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int share = connections / threads + (i < connections % threads ? 1 : 0);
            Loop loop = new Loop(request, share, shared);
            loops.add(loop);
            // each deployment gets an event loop of its own, round robin
            deployments.add(await(vertx.deployVerticle(loop), Duration.ofSeconds(10)));
        }
        try {
            sleep(warmup);
            window.opened();
            long begin = System.nanoTime();
            shared.phase = MEASURING;
            sleep(measured);
            window.closing();
            shared.phase = STOPPING;
            double seconds = (System.nanoTime() - begin) / 1e9;
            for (Loop loop : loops) {
                await(loop.drained.future(), Duration.ofMillis(IDLE_TIMEOUT_MS + 10_000));
            }
            Histogram latencies = new Histogram(3);
            Map<String, Long> errors = new TreeMap<>();
            long ok = 0;
            for (Loop loop : loops) {
                latencies.add(loop.latencies);
                loop.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
                ok += loop.ok;
            }
            return new Result(ok, errors, latencies, seconds);
        } finally {
            shared.phase = STOPPING;
            for (String id : deployments) {
                vertx.undeploy(id);
            }
        }
    }

    private static final class Shared {
        volatile int phase = WARMUP;
        final AtomicLong sequence = new AtomicLong();
    }

    /** One event loop's share of the connections; its fields are touched only on that event loop. */
    private static final class Loop extends AbstractVerticle {
        private final Request request;
        private final int connections;
        private final Shared shared;
        private final Histogram latencies = new Histogram(3);
        private final Map<String, Long> errors = new TreeMap<>();
        private final Promise<Void> drained = Promise.promise();
        private long ok;
        private int active;
        private HttpClient client;

        Loop(Request request, int connections, Shared shared) {
            this.request = request;
            this.connections = connections;
            this.shared = shared;
        }

        @Override
        public void start() {
            client = vertx.createHttpClient(new HttpClientOptions()
                            .setDefaultHost("127.0.0.1").setDefaultPort(request.port())
                            .setKeepAlive(true).setPipelining(false).setTcpNoDelay(true).setConnectTimeout(5_000),
                    new PoolOptions().setHttp1MaxSize(connections));
            active = connections;
            for (int i = 0; i < connections; i++) {
                next();
            }
        }

        @Override
        public void stop() {
            client.close();
        }

        private void next() {
            if (shared.phase == STOPPING) {
                if (--active == 0) {
                    drained.complete();
                }
                return;
            }
            RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.uri())
                    .setIdleTimeout(IDLE_TIMEOUT_MS).putHeader(HttpHeaders.ACCEPT, "application/json");
            if (request.token() != null) {
                options.putHeader(HttpHeaders.AUTHORIZATION, "Token " + request.token());
            }
            String body = request.body() == null ? null : request.body().apply(shared.sequence.incrementAndGet());
            if (body != null) {
                options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            }
            long begin = System.nanoTime();
            client.request(options)
                    .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
                    .compose(response -> response.body().map(ignored -> response.statusCode()))
                    .onComplete(answer -> {
                        if (shared.phase == MEASURING) {
                            record(answer.succeeded() ? answer.result() : -1, answer.cause(), System.nanoTime() - begin);
                        }
                        next();
                    });
        }

        private void record(int status, Throwable failure, long nanos) {
            if (status >= 200 && status < 300) {
                ok++;
                latencies.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos)));
            } else {
                String kind = failure == null ? "HTTP " + status : failure.getClass().getSimpleName();
                errors.merge(kind, 1L, Long::sum);
            }
        }
    }

    private static <T> T await(Future<T> future, Duration timeout) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the load generator did not finish within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}

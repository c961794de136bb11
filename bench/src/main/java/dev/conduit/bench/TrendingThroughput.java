package dev.conduit.bench;

import dev.conduit.localstack.ChildProcess;
import dev.conduit.localstack.ParentWatch;
import dev.conduit.localstack.Ports;
import dev.conduit.localstack.Servers;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * How many events a second trending-service's topology sustains: one Kafka broker as the platform
 * runs it ({@code local-stack}'s {@code KafkaServerMain}, 3 partitions a topic), {@code events}
 * events pre-produced into {@code conduit.posts} and {@code conduit.comments}
 * ({@link TrendingWorkload}), then the packaged trending-service started as {@code ./conduit}
 * starts it (same JVM options, AppCDS archive, its production configuration: {@code exactly_once_v2},
 * commit interval 100 ms) on a fresh state dir. Timed from the service's readiness (its Streams
 * client RUNNING, i.e. processing) until the consumer group's committed offsets reach the end
 * offsets of both input topics and (up to a transaction marker) of the tag repartition topic.
 * Every run is bounded ({@link #PROCESS_LIMIT}).
 */
final class TrendingThroughput {

    /** A run that has not consumed everything by then is reported as unfinished. */
    static final Duration PROCESS_LIMIT = Duration.ofMinutes(10);
    static final String REPARTITION = "-tag-buckets-repartition";

    /** The figures of one run of the service on the pre-produced events. */
    record Run(String guarantee, long events, double startSeconds, double inputSeconds, double processSeconds, boolean finished,
               double cpuSeconds, long rssKib, long peakRssKib, long applied, long ignored) {

        double eventsPerSecond() {
            return processSeconds > 0 ? events / processSeconds : Double.NaN;
        }

        /** CPU cores the service used on average while processing. */
        double cores() {
            return processSeconds > 0 ? cpuSeconds / processSeconds : Double.NaN;
        }
    }

    /** What was produced and how fast. */
    record Produced(long events, int articles, Map<String, Long> byType, double seconds) {
    }

    private final Path home;
    private final Path work;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ChildProcess kafka;
    private int kafkaPort;

    TrendingThroughput(Path home, Path work, PrintStream out) {
        this.home = home;
        this.work = work;
        this.out = out;
    }

    Path runner() {
        return home.resolve("trending-service").resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    /** Starts the broker on free ports in {@code work/kafka}. */
    void startKafka() {
        kafkaPort = Ports.free();
        kafka = Servers.startKafka(work.resolve("kafka"), kafkaPort, Ports.free(), work.resolve("kafka.log"));
        kafka.awaitReady(Servers.ready(), Duration.ofSeconds(60));
    }

    String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    Produced produce(int events) {
        out.printf(Locale.ROOT, "producing %,d events into %s and %s ...%n", events, TrendingWorkload.POSTS, TrendingWorkload.COMMENTS);
        TrendingWorkload workload = new TrendingWorkload(15, events, Instant.now());
        long begin = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            workload.generate(e -> producer.send(new ProducerRecord<>(e.topic(), e.key(), e.value()), (meta, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
            }));
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the events failed: " + failure.get(), failure.get());
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        out.printf(Locale.ROOT, "  produced in %.1f s: %s on %,d articles%n", seconds, workload.counts(), workload.articles());
        return new Produced(events, workload.articles(), workload.counts(), seconds);
    }

    /**
     * Starts trending-service with {@code guarantee} under its own application id (a fresh consumer
     * group and internal topics) and a fresh state dir, and times it through the input.
     */
    Run run(String guarantee, String applicationId, List<String> jvmOpts, long events) {
        int port = Ports.free();
        int management = Ports.free();
        Path state = work.resolve("state-" + applicationId);
        Path runner = runner();
        Path app = runner.getParent();
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(jvmOpts);
        if (Files.isRegularFile(app.resolve("app-cds.jsa"))) {
            command.add("-XX:SharedArchiveFile=app-cds.jsa");
        }
        agent().ifPresent(jar -> command.add("-javaagent:" + jar));
        command.add("-Dkafka-streams.processing.guarantee=" + guarantee);
        command.add("-Dquarkus.kafka-streams.application-id=" + applicationId);
        command.add("-jar");
        command.add(runner.getFileName().toString());
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap());
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management));
        env.put("TRENDING_ADVERTISED_HOST", "127.0.0.1");
        env.put("TRENDING_ADVERTISED_PORT", String.valueOf(port));
        env.put("TRENDING_STATE_DIR", state.toString());
        env.put("TRENDING_STANDBY_REPLICAS", "0");
        // nothing asks for views here; a closed port, never a default one
        env.put("POST_SERVICE_URL", "http://127.0.0.1:" + Ports.free());
        URI ready = URI.create("http://127.0.0.1:" + management + "/q/health/ready");
        URI metrics = URI.create("http://127.0.0.1:" + management + "/q/metrics");

        out.printf(Locale.ROOT, "trending-service, %s (application id %s) ...%n", guarantee, applicationId);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            Map<TopicPartition, Long> inputEnds = endOffsets(admin, List.of(TrendingWorkload.POSTS, TrendingWorkload.COMMENTS));
            long launched = System.nanoTime();
            ChildProcess service = ChildProcess.start("trending-service-" + guarantee, command, env,
                    work.resolve("trending-" + applicationId + ".log"), app);
            try {
                long deadline = launched + PROCESS_LIMIT.toNanos();
                while (status(ready) != 200) {
                    if (!service.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("trending-service did not become ready (log: " + service.log() + ")");
                    }
                    pause(50);
                }
                long running = System.nanoTime();
                Optional<Processes.Sample> before = Processes.sample(service.pid());
                boolean finished = false;
                long inputsRead = -1;
                long lastReport = running;
                while (System.nanoTime() < deadline && service.isAlive()) {
                    Map<TopicPartition, Long> committed = committed(admin, applicationId);
                    long behind = behind(inputEnds, committed);
                    if (behind == 0 && inputsRead < 0) {
                        inputsRead = System.nanoTime();
                    }
                    if (behind == 0 && repartitionDone(admin, applicationId, committed)) {
                        finished = true;
                        break;
                    }
                    if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                        lastReport = System.nanoTime();
                        out.printf(Locale.ROOT, "  %.0f s: %,d input events not yet committed%s%n", (lastReport - running) / 1e9, behind,
                                behind == 0 ? " (the tags' repartition topic not yet through)" : "");
                    }
                    pause(100);
                }
                long done = System.nanoTime();
                Optional<Processes.Sample> after = Processes.sample(service.pid());
                long ticks = Processes.clockTicksPerSecond();
                double cpu = before.isPresent() && after.isPresent()
                        ? (after.get().cpuTicks() - before.get().cpuTicks()) / (double) ticks : Double.NaN;
                String text = body(metrics);
                Run run = new Run(guarantee, events, (running - launched) / 1e9,
                        inputsRead < 0 ? Double.NaN : (inputsRead - running) / 1e9, (done - running) / 1e9, finished, cpu,
                        after.map(Processes.Sample::rssKib).orElse(0L), after.map(Processes.Sample::peakRssKib).orElse(0L),
                        counter(text, "conduit_trending_events_applied_total"),
                        // a counter that never counted has no series yet
                        text.isEmpty() ? -1 : Math.max(0, counter(text, "conduit_trending_events_ignored_total")));
                out.printf(Locale.ROOT, "  %s: %s events/s, %,d events in %.1f s (inputs read in %.1f s) after a %.1f s start%s; CPU %.1f s (%.2f cores), "
                                + "RSS %d MiB (peak %d MiB); applied %,d, ignored %,d%n",
                        guarantee, Table.number(run.eventsPerSecond(), 0), events, run.processSeconds(), run.inputSeconds(), run.startSeconds(),
                        finished ? "" : " (NOT FINISHED)", cpu, run.cores(), run.rssKib() / 1024, run.peakRssKib() / 1024,
                        run.applied(), run.ignored());
                return run;
            } finally {
                service.stop(Duration.ofSeconds(20));
            }
        }
    }

    void stopKafka() {
        if (kafka != null) {
            kafka.stop(Duration.ofSeconds(30));
        }
    }

    /** The platform's child-watch agent, so the service ends if this JVM dies. */
    private static Optional<Path> agent() {
        try {
            Path jar = Path.of(ParentWatch.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.toString().endsWith(".jar") ? Optional.of(jar) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics) {
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) ->
                    description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + topics + ": " + e, e);
        }
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, Long> result = new HashMap<>();
            offsets.forEach((tp, o) -> {
                if (o != null) {
                    result.put(tp, o.offset());
                }
            });
            return result;
        } catch (Exception e) {
            return Map.of();
        }
    }

    static long behind(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> committed) {
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            behind += Math.max(0, end.getValue() - committed.getOrDefault(end.getKey(), 0L));
        }
        return behind;
    }

    /**
     * Whether the tags' side is through too: every partition of the repartition topic committed up
     * to its end, or to one short of it (the commit marker of the last transaction under exactly-once).
     */
    private static boolean repartitionDone(Admin admin, String applicationId, Map<TopicPartition, Long> committed) {
        String topic = applicationId + REPARTITION;
        Map<TopicPartition, Long> ends;
        try {
            ends = endOffsets(admin, List.of(topic));
        } catch (IllegalStateException e) {
            return false;
        }
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (end.getValue() - committed.getOrDefault(end.getKey(), 0L) > 1) {
                return false;
            }
        }
        return true;
    }

    private int status(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            return -1;
        }
    }

    private String body(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return "";
        }
    }

    /** The sum of a Prometheus counter's series (all label values); -1 if absent. */
    static long counter(String prometheus, String name) {
        double sum = 0;
        boolean found = false;
        for (String line : prometheus.lines().toList()) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? Math.round(sum) : -1;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}

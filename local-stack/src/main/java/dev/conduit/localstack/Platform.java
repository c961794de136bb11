package dev.conduit.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The whole local platform: Kafka, the MongoDB-wire server, the four services and trending-service, each its own
 * process, started from the packaged services in {@code home}. Used by the launcher and by the
 * system tests, so both run the platform the same way.
 */
public final class Platform implements AutoCloseable {

    /**
     * The services' JVM options unless CONDUIT_SERVICE_JAVA_OPTS replaces them: seven JVMs share a laptop
     * (or this project's 2-core machine), so each is small and spends little CPU on itself. Measured
     * with bench/run.sh against the earlier "-Xms64m -Xmx384m -XX:+UseSerialGC" (bench/README.md):
     * <ul>
     * <li>{@code -XX:TieredStopAtLevel=1}: C1 only. Half the CPU at start (post-service 7.5 to 4 CPU
     *     seconds) and 25-35 MiB less RSS a service (no C2 compiler arenas, no profiling data in
     *     metaspace, a smaller code cache); CPU per request through the gateway fell for the list,
     *     comments and create (C2 was still compiling minutes after start with six JVMs on two
     *     cores) and rose 4-22 % (two runs) for the single-article read, the cheapest request;
     *     {@code CONDUIT_SERVICE_JAVA_OPTS} without it gives C2 to a long-running platform;</li>
     * <li>{@code -XX:+UseSerialGC}: no GC threads, the smallest GC footprint; pauses of a few ms at
     *     these heap sizes;</li>
     * <li>{@code -Xms32m}: a small heap to start from, grown by the JVM's own free ratios (40-70 %).
     *     Tighter ratios ({@code -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30}, used before) saved
     *     about 5 MiB RSS a service but left the old generation almost no room: post-service ran 9 full
     *     GCs (1.46 s) in 10 s of the create load (jstat), each a pause of about 160 ms on this machine;</li>
     * <li>{@code -XX:SurvivorRatio=3}: survivor spaces of a fifth of the young generation instead of a
     *     tenth, so a request's short-lived objects die young instead of being promoted when a survivor
     *     overflows, which is what filled the old generation. Both changes together, interleaved
     *     bench/run.sh runs: post-service's CPU per list request relative to MongoDB's 1.87 against 2.50
     *     and 2.39 before; per create 0.95 against 0.98 and 1.00; the four services' RSS under load 686
     *     MiB against 675 and 675;</li>
     * <li>{@code -Xmx384m}: head room for a large page or a burst, never committed unless used.</li>
     * </ul>
     * The launcher adds the services' class-data archive when the build made one, and every child
     * runs with MALLOC_ARENA_MAX=2 (see {@link ChildProcess}).
     */
    public static final List<String> SERVICE_JVM_OPTS = List.of("-Xms32m", "-Xmx384m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:SurvivorRatio=3");

    /** Where everything listens; every port can be changed through the environment. */
    public record Settings(Path home, Path dataDir, int gatewayPort, int userPort, int postPort, int commentPort,
                           int kafkaPort, int kafkaControllerPort, int mongoPort, List<String> serviceJvmOpts,
                           int gatewayManagementPort, int userManagementPort, int postManagementPort,
                           int commentManagementPort, int trendingPort, int trendingManagementPort) {

        public static Settings fromEnvironment(Path home, Function<String, String> env) {
            return new Settings(home,
                    Path.of(value(env, "CONDUIT_DATA", home.resolve("data").toString())),
                    port(env, "CONDUIT_GATEWAY_PORT", 8080),
                    port(env, "CONDUIT_USER_PORT", 8081),
                    port(env, "CONDUIT_POST_PORT", 8082),
                    port(env, "CONDUIT_COMMENT_PORT", 8083),
                    port(env, "CONDUIT_KAFKA_PORT", 19092),
                    port(env, "CONDUIT_KAFKA_CONTROLLER_PORT", 19093),
                    port(env, "CONDUIT_MONGO_PORT", 27117),
                    List.of(value(env, "CONDUIT_SERVICE_JAVA_OPTS", String.join(" ", SERVICE_JVM_OPTS)).trim().split("\\s+")),
                    // health and metrics: each part's management port (9080-9084 beside 8080-8084)
                    port(env, "CONDUIT_GATEWAY_MANAGEMENT_PORT", 9080),
                    port(env, "CONDUIT_USER_MANAGEMENT_PORT", 9081),
                    port(env, "CONDUIT_POST_MANAGEMENT_PORT", 9082),
                    port(env, "CONDUIT_COMMENT_MANAGEMENT_PORT", 9083),
                    port(env, "CONDUIT_TRENDING_PORT", 8084),
                    port(env, "CONDUIT_TRENDING_MANAGEMENT_PORT", 9084));
        }

        /** All on free loopback ports, data in {@code dataDir}: for tests. */
        public static Settings onFreePorts(Path home, Path dataDir) {
            return onFreePorts(home, dataDir, SERVICE_JVM_OPTS);
        }

        /** All on free loopback ports (a platform running elsewhere does not matter), data in {@code dataDir}. */
        public static Settings onFreePorts(Path home, Path dataDir, List<String> serviceJvmOpts) {
            return new Settings(home, dataDir, Ports.free(), Ports.free(), Ports.free(), Ports.free(),
                    Ports.free(), Ports.free(), Ports.free(),
                    serviceJvmOpts,
                    Ports.free(), Ports.free(), Ports.free(), Ports.free(),
                    Ports.free(), Ports.free());
        }

        private static String value(Function<String, String> env, String key, String fallback) {
            String v = env.apply(key);
            return v == null || v.isBlank() ? fallback : v;
        }

        private static int port(Function<String, String> env, String key, int fallback) {
            String v = value(env, key, String.valueOf(fallback));
            try {
                int port = Integer.parseInt(v.trim());
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new LaunchException(key + "=" + v + " is not a port number (1-65535)");
            }
        }

        public String gatewayUrl() {
            return "http://localhost:" + gatewayPort;
        }

        /** The gateway's management interface: health (and the platform view) and metrics. */
        public String gatewayManagementUrl() {
            return "http://localhost:" + gatewayManagementPort;
        }
    }

    /** A service of the platform: its module folder, ports and own settings. */
    public record Service(String name, int port, int managementPort, Map<String, String> env) {
        Path runner(Path home) {
            return home.resolve(name).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
        }

        /** Liveness, on the management interface. */
        URI liveness() {
            return URI.create("http://127.0.0.1:" + managementPort + "/q/health/live");
        }

        /** Readiness, on the management interface. */
        URI readiness() {
            return URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
        }
    }

    /**
     * Each service's class-data archive, in its quarkus-app folder: Quarkus' (quarkus.package.jar.appcds.enabled,
     * the classes loaded until the application starts), replaced by {@link #train} with one written at the
     * end of a training run (also every class a working service loads afterwards: the Kafka and MongoDB
     * clients, Jackson's serializers, the event handlers).
     */
    static final String APP_CDS_ARCHIVE = "app-cds.jsa";

    /** Where a training run's service writes its archive at exit, before {@link #train} keeps it. */
    static final String TRAINING_ARCHIVE = APP_CDS_ARCHIVE + ".training";

    private static final Duration SERVER_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Settings settings;
    private final PrintStream out;
    private final Map<String, String> environment;
    private Supervisor supervisor;
    private DataDir data;
    private JwtKeys keys;
    private boolean training;
    /** In a training run: each service's latest process and its app folder, where it writes its archive at exit. */
    private final Map<String, Trainee> trainees = Collections.synchronizedMap(new LinkedHashMap<>());

    private record Trainee(ChildProcess process, Path app) {
    }

    public Platform(Settings settings, PrintStream out) {
        this(settings, out, Map.of());
    }

    /** With {@code environment} added to every service's (tests switch tracing on with it). */
    public Platform(Settings settings, PrintStream out, Map<String, String> environment) {
        this.settings = settings;
        this.out = out;
        this.environment = Map.copyOf(environment);
    }

    public Settings settings() {
        return settings;
    }

    public DataDir data() {
        return data;
    }

    /**
     * The services in start order, the gateway last. trending-service is started alongside the others
     * (nothing waits for it, and it waits for nothing but Kafka): its Kafka Streams state lives in the
     * data dir's {@code trending} folder, so a restart restores from there and the changelog's tail.
     */
    public List<Service> services(JwtKeys keys) {
        String mongo = "mongodb://127.0.0.1:" + settings.mongoPort();
        String kafka = "127.0.0.1:" + settings.kafkaPort();
        Map<String, String> common = new LinkedHashMap<>();
        common.put("MONGODB_URI", mongo);
        common.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        // every verifier fetches the keys user-service publishes; user-service reads the folder itself
        common.put("JWT_JWKS_URL", "http://127.0.0.1:" + settings.userPort() + "/internal/jwks");
        common.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        common.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        common.put("USER_SERVICE_URL", "http://127.0.0.1:" + settings.userPort());
        common.put("POST_SERVICE_URL", "http://127.0.0.1:" + settings.postPort());
        common.put("COMMENT_SERVICE_URL", "http://127.0.0.1:" + settings.commentPort());
        common.put("USER_SERVICE_MANAGEMENT_URL", "http://127.0.0.1:" + settings.userManagementPort());
        common.put("POST_SERVICE_MANAGEMENT_URL", "http://127.0.0.1:" + settings.postManagementPort());
        common.put("COMMENT_SERVICE_MANAGEMENT_URL", "http://127.0.0.1:" + settings.commentManagementPort());
        common.put("TRENDING_SERVICE_URL", "http://127.0.0.1:" + settings.trendingPort());
        common.put("TRENDING_SERVICE_MANAGEMENT_URL", "http://127.0.0.1:" + settings.trendingManagementPort());
        // a front end under development may run on any local port; tokens travel in a header, never
        // a cookie, so any origin may call. An explicit CORS_ORIGINS wins.
        common.put("CORS_ORIGINS", Optional.ofNullable(System.getenv("CORS_ORIGINS")).orElse("*"));
        common.putAll(environment);
        return List.of(
                new Service("user-service", settings.userPort(), settings.userManagementPort(),
                        with(common, "JWT_KEYS_DIR", keys.dir().toString())),
                new Service("post-service", settings.postPort(), settings.postManagementPort(), common),
                new Service("comment-service", settings.commentPort(), settings.commentManagementPort(), common),
                new Service("trending-service", settings.trendingPort(), settings.trendingManagementPort(), trending(common)),
                new Service("gateway", settings.gatewayPort(), settings.gatewayManagementPort(), common));
    }

    /**
     * trending-service's own settings: Kafka Streams' application.server is this host and its HTTP
     * port (TRENDING_ADVERTISED_HOST and _PORT: interactive queries of the one instance), the state dir is the data dir's, and with one
     * instance there is nothing to keep a standby replica on.
     */
    private Map<String, String> trending(Map<String, String> common) {
        Map<String, String> env = with(common, "TRENDING_ADVERTISED_HOST", "127.0.0.1");
        env.put("TRENDING_ADVERTISED_PORT", String.valueOf(settings.trendingPort()));
        env.put("TRENDING_STATE_DIR", trendingStateDir().toString());
        env.put("TRENDING_STANDBY_REPLICAS", "0");
        return env;
    }

    private Path trendingStateDir() {
        return (data != null ? data : new DataDir(settings.dataDir().toAbsolutePath().normalize())).trending();
    }

    /** Starts everything and returns once every part is ready; on failure stops what it started. */
    public void start() {
        long begin = System.nanoTime();
        try {
            data = DataDir.open(settings.dataDir());
            data.runningLauncher().filter(p -> p.pid() != ProcessHandle.current().pid()).ifPresent(p -> {
                throw new LaunchException("Conduit already runs on data dir " + data.root() + " (launcher pid " + p.pid()
                        + "); stop it with ./conduit stop");
            });
            boolean fresh = data.isNew();
            keys = JwtKeys.ensure(data.keys());
            List<Service> services = services(keys);
            services.forEach(s -> {
                if (!Files.isRegularFile(s.runner(settings.home()))) {
                    throw new LaunchException(s.name() + " is not built (" + s.runner(settings.home()) + " is missing); run ./mvnw package -DskipTests");
                }
            });
            checkPortsFree(services);
            out.printf("data dir %s (%s)%n", data.root(), fresh ? "new" : "reused");

            supervisor = new Supervisor(out, data.statusFile());
            Map<ChildProcess, ChildProcess.Ready> servers = new LinkedHashMap<>();
            Path kafkaLog = data.logs().resolve("kafka.log");
            servers.put(supervisor.launch(new Supervisor.Spec("kafka", () -> Servers.startKafkaWithArchive(data.kafka(),
                    settings.kafkaPort(), settings.kafkaControllerPort(), kafkaLog), Servers.ready())), Servers.ready());
            servers.put(supervisor.launch(new Supervisor.Spec("mongo", () -> Servers.startMongo(data.mongoFile(),
                    settings.mongoPort(), data.logs().resolve("mongo.log")), Servers.ready())), Servers.ready());
            // The services start while the servers do: a service spends its first seconds loading
            // classes and building its beans, needs MongoDB and Kafka only after that, and its clients
            // retry until they answer; readiness is reported only once both are reachable.
            Map<ChildProcess, ChildProcess.Ready> started = new LinkedHashMap<>();
            for (Service service : services) {
                ChildProcess.Ready ready = ChildProcess.Ready.http(service.readiness());
                started.put(supervisor.launch(new Supervisor.Spec(service.name(), () -> startService(service), ready,
                        Optional.of(ChildProcess.Ready.http(service.liveness())))), ready);
            }
            awaitAll(servers, SERVER_TIMEOUT);
            awaitAll(started, SERVICE_TIMEOUT);
            supervisor.superviseAll();
            out.printf("Conduit is up in %.1f s%n", (System.nanoTime() - begin) / 1e9);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The training run of {@code ./conduit build}: starts the platform with every service writing a
     * class-data archive at exit, sends {@link Training}'s requests through the gateway, stops it, and
     * keeps each archive as the service's {@value #APP_CDS_ARCHIVE} (only from a run whose requests all
     * succeeded and a service that exited on its SIGTERM). A later start maps those classes instead of
     * loading and verifying them one by one. Returns what it kept, one line per service.
     */
    public List<String> train() {
        training = true;
        boolean worked = false;
        try {
            start();
            new Training(settings).run();
            worked = true;
        } finally {
            close();
            if (!worked) {
                trainees.values().forEach(t -> deleteQuietly(t.app().resolve(TRAINING_ARCHIVE)));
            }
        }
        List<String> kept = new ArrayList<>();
        trainees.forEach((name, trainee) -> {
            Path archive = trainee.app().resolve(APP_CDS_ARCHIVE);
            try {
                if (Servers.keepArchive(trainee.process(), trainee.app().resolve(TRAINING_ARCHIVE), archive)) {
                    kept.add(String.format(Locale.ROOT, "%-16s %s (%.0f MiB)", name, settings.home().relativize(archive),
                            Files.size(archive) / 1048576.0));
                } else {
                    kept.add(String.format(Locale.ROOT, "%-16s wrote no archive (exit %s); keeps the one it had", name,
                            trainee.process().exitCode().map(String::valueOf).orElse("unknown")));
                }
            } catch (IOException e) {
                kept.add(name + ": archive not kept: " + e.getMessage());
            }
        });
        return kept;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover is overwritten by the next training run
        }
    }

    /** Stops one part (SIGTERM), leaving the rest running and not restarting it: to test how the others cope. */
    public void stopService(String name) {
        ChildProcess child = supervisor.hold(name);
        if (child == null || !child.isAlive()) {
            throw new LaunchException(name + " is not running");
        }
        child.stop(STOP_GRACE);
    }

    /** Starts a part again (after {@link #stopService}), supervised, and waits until it is ready. */
    public void startService(String name) {
        ChildProcess child = supervisor.release(name);
        ChildProcess.Ready ready = services(keys).stream().filter(s -> s.name().equals(name)).findFirst()
                .map(s -> ChildProcess.Ready.http(s.readiness())).orElse(Servers.ready());
        awaitAll(Map.of(child, ready), SERVICE_TIMEOUT);
    }

    /** Whether a part runs and passed its readiness check since its last (re)start. */
    public boolean isRunning(String name) {
        return supervisor.state(name).filter("running"::equals).isPresent() && supervisor.child(name).isPresent();
    }

    /** How often a part was restarted after it died. */
    public int restarts(String name) {
        return supervisor.restarts(name);
    }

    /** The running process of a part (kafka, mongo, a service, the gateway): to test what a crash does. */
    public Optional<ProcessHandle> process(String name) {
        return supervisor.child(name).flatMap(c -> ProcessHandle.of(c.pid()));
    }

    private ChildProcess startService(Service service) {
        Path runner = service.runner(settings.home());
        Path app = runner.getParent();
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.addAll(settings.serviceJvmOpts());
        // The class-data archive of ./conduit's build (Quarkus', then the training run's): classes come
        // mapped from it instead of being loaded and verified one by one, about a third less CPU at start.
        // It records the class path as "quarkus-run.jar" relative to the app folder, so the service is
        // started there with that relative path; a JVM that cannot use the archive (another JDK, a
        // stale archive) starts without it.
        if (training) {
            // written at exit (SIGTERM included); without the agent, which a JVM writing an archive
            // refuses (an agent could have changed the classes), and which a training run, stopped by
            // the launcher that started it, does without
            command.add("-XX:ArchiveClassesAtExit=" + TRAINING_ARCHIVE);
        } else {
            if (Files.isRegularFile(app.resolve(APP_CDS_ARCHIVE))) {
                command.add("-XX:SharedArchiveFile=" + APP_CDS_ARCHIVE);
            }
            Path agent = Servers.ownLocation();
            if (agent.toString().endsWith(".jar")) {
                command.add("-javaagent:" + agent);
            }
        }
        command.add("-jar");
        command.add(runner.getFileName().toString());
        Map<String, String> env = with(with(service.env(), "QUARKUS_HTTP_PORT", String.valueOf(service.port())),
                "QUARKUS_MANAGEMENT_PORT", String.valueOf(service.managementPort()));
        ChildProcess child = ChildProcess.start(service.name(), command, env, data.logs().resolve(service.name() + ".log"), app);
        if (training) {
            trainees.put(service.name(), new Trainee(child, app));
        }
        return child;
    }

    /** Polls every child until all are ready, printing each as it becomes ready. */
    private void awaitAll(Map<ChildProcess, ChildProcess.Ready> pending, Duration timeout) {
        Map<ChildProcess, ChildProcess.Ready> waiting = new LinkedHashMap<>(pending);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!waiting.isEmpty()) {
            for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                ChildProcess child = entry.getKey();
                if (entry.getValue().poll(child)) {
                    out.printf(Locale.ROOT, "  %-16s ready in %4.1f s%n", child.name(), child.secondsSinceStart());
                    supervisor.ready(child.name());
                    it.remove();
                }
            }
            if (!waiting.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    ChildProcess late = waiting.keySet().iterator().next();
                    throw new LaunchException(late.name() + " was not ready after " + timeout.toSeconds() + " s"
                            + late.reason().map(r -> ": " + r).orElse("") + " (log: " + late.log() + ")");
                }
                ChildProcess.sleep(100);
            }
        }
    }

    private void checkPortsFree(List<Service> services) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("kafka", settings.kafkaPort());
        ports.put("kafka controller", settings.kafkaControllerPort());
        ports.put("mongo", settings.mongoPort());
        services.forEach(s -> {
            ports.put(s.name(), s.port());
            ports.put(s.name() + " management", s.managementPort());
        });
        if (ports.values().stream().distinct().count() != ports.size()) {
            throw new LaunchException("two parts are set to the same port: " + ports);
        }
        ports.forEach((name, port) -> {
            if (!Ports.isFree(port)) {
                throw new LaunchException("port " + port + " (" + name + ") is already in use; stop what holds it or set "
                        + envKeyFor(name) + " to another port");
            }
        });
    }

    private static String envKeyFor(String part) {
        return switch (part) {
            case "kafka" -> "CONDUIT_KAFKA_PORT";
            case "kafka controller" -> "CONDUIT_KAFKA_CONTROLLER_PORT";
            case "mongo" -> "CONDUIT_MONGO_PORT";
            case "gateway" -> "CONDUIT_GATEWAY_PORT";
            default -> "CONDUIT_" + part.replace("-service", "").replace(" ", "_").toUpperCase(Locale.ROOT) + "_PORT";
        };
    }

    /** Stops everything that was started: services first (gateway first of all), servers last. */
    @Override
    public void close() {
        if (supervisor == null) {
            return;
        }
        supervisor.stop();
        List<ChildProcess> reversed = new ArrayList<>(supervisor.children());
        Collections.reverse(reversed);
        List<ChildProcess> services = reversed.stream().filter(c -> !c.name().equals("kafka") && !c.name().equals("mongo")).toList();
        List<ChildProcess> servers = reversed.stream().filter(c -> c.name().equals("kafka") || c.name().equals("mongo")).toList();
        stopInParallel(services);
        stopInParallel(servers);
        servers.stream().filter(c -> c.name().equals("kafka")).forEach(Servers::keepKafkaArchive);
    }

    private static void stopInParallel(List<ChildProcess> group) {
        List<Thread> threads = group.stream()
                .map(c -> {
                    Thread t = new Thread(() -> c.stop(STOP_GRACE), "stop-" + c.name());
                    t.start();
                    return t;
                })
                .toList();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}

package dev.conduit.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the services expect of the cluster, read from their own sources and from k8s/README.md:
 * the port and environment variables of each service, the topics they use, the Secrets created by hand
 * (k8s/create-secrets.sh).
 */
final class ServiceContract {

    static final Path README = Kustomize.K8S.resolve("README.md");
    /** The script that makes the Secrets in a cluster (k8s/README.md runs it). */
    static final Path CREATE_SECRETS = Kustomize.K8S.resolve("create-secrets.sh");

    /**
     * One row of the README's table: a service (a Quarkus app), its public port, its management port
     * (health and metrics), the variables it reads.
     */
    record Row(String service, int port, int managementPort, Set<String> variables) {
    }

    private static final Pattern ROW = Pattern.compile(
            "^\\|\\s*([a-z][a-z-]*)\\s*\\|\\s*(\\d{2,5})\\s*\\|\\s*(\\d{2,5})\\s*\\|(.*)\\|\\s*$");
    /** A row of the README's table of what opt-in components set: | `components/<name>` | `VARIABLE`, ... | */
    private static final Pattern COMPONENT_ROW = Pattern.compile("^\\|\\s*`components/([a-z][a-z-]*)`\\s*\\|(.*)\\|\\s*$");
    private static final Pattern BACKTICKED = Pattern.compile("`([A-Z][A-Z0-9_]*)`");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern HTTP_PORT = Pattern.compile("^quarkus\\.http\\.port\\s*=\\s*(\\d+)\\s*$", Pattern.MULTILINE);
    private static final Pattern TOPIC_PROPERTY = Pattern.compile(
            "^(?:%[a-z]+\\.)?mp\\.messaging\\.(?:incoming|outgoing)\\.[^.=\\s]+\\.(?:topic|dead-letter-queue\\.topic)\\s*=\\s*(\\S+)\\s*$",
            Pattern.MULTILINE);
    private static final Pattern INCOMING = Pattern.compile("^(?:%[a-z]+\\.)?mp\\.messaging\\.incoming\\.", Pattern.MULTILINE);
    private static final Pattern TOPIC_LITERAL = Pattern.compile("\"(conduit\\.[a-z0-9][a-z0-9.-]*[a-z0-9])\"");
    private static final Pattern VARIABLE_WITH_DEFAULT = Pattern.compile("^\\$\\{[A-Za-z0-9_.-]+:(.*)}$");
    private static final Pattern SHORT_DURATION = Pattern.compile("^(\\d+)(ms|s|m|h|d)?$", Pattern.CASE_INSENSITIVE);
    /** A channel's topic in production: a plain or %prod line (dev and test profiles do not run in a cluster). */
    private static final Pattern CHANNEL_TOPIC = Pattern.compile(
            "^(?:%prod\\.)?mp\\.messaging\\.(incoming|outgoing)\\.[^.=\\s]+\\.topic\\s*=\\s*(\\S+)\\s*$", Pattern.MULTILINE);
    /** A row of the topic table in events/README.md: | `topic` | owner | ... */
    private static final Pattern OWNER_ROW = Pattern.compile("^\\|\\s*`(conduit\\.[a-z0-9.-]+)`\\s*\\|\\s*([a-z][a-z-]*)\\s*\\|");
    private static final Pattern SECRET_COMMAND = Pattern.compile("create secret (?:generic|tls) ([a-z0-9][a-z0-9-]*)");

    private ServiceContract() {
    }

    /** The table under "What each service runs with" in k8s/README.md. */
    static Map<String, Row> table() {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : read(README).split("\n")) {
            Matcher m = ROW.matcher(line.strip());
            if (m.matches()) {
                Set<String> vars = new TreeSet<>();
                Matcher v = BACKTICKED.matcher(m.group(4));
                while (v.find()) {
                    vars.add(v.group(1));
                }
                rows.put(m.group(1), new Row(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), vars));
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException(README + " has no service table (| service | port | management port | variables |)");
        }
        return rows;
    }

    /**
     * Variables an opt-in component may set on every service (k8s/README.md, the table of components
     * under the services' table): read by Quarkus itself, so a service need not name them, and not
     * required where the component is left out.
     */
    static Set<String> componentVariables() {
        Set<String> vars = new TreeSet<>();
        for (String line : read(README).split("\n")) {
            Matcher m = COMPONENT_ROW.matcher(line.strip());
            if (m.matches()) {
                Matcher v = BACKTICKED.matcher(m.group(2));
                while (v.find()) {
                    vars.add(v.group(1));
                }
            }
        }
        return vars;
    }

    static Path properties(String service) {
        return Kustomize.REPO.resolve(service).resolve("src/main/resources/application.properties");
    }

    /** The defaults every backend service inherits from service-support (its own properties win). */
    static final Path SHARED_DEFAULTS = Kustomize.REPO.resolve("service-support/src/main/resources/META-INF/microprofile-config.properties");

    /**
     * The configuration a service runs with: service-support's shared defaults when the service
     * depends on it, then its own application.properties, which wins where both set a key.
     */
    static String configuration(String service) {
        boolean shared = readIfExists(Kustomize.REPO.resolve(service).resolve("pom.xml")).contains("<artifactId>conduit-service-support</artifactId>");
        return (shared ? readIfExists(SHARED_DEFAULTS) + "\n" : "") + readIfExists(properties(service));
    }

    /**
     * Environment variables the service's configuration reads: every ${NAME} or ${NAME:default} in the
     * value a key ends up with (a shared default the service's own properties override is not read).
     */
    static Set<String> variablesReadBy(String service) {
        Map<String, String> effective = new LinkedHashMap<>();
        for (String line : configuration(service).split("\n")) {
            String s = line.strip();
            int eq = s.indexOf('=');
            if (!s.startsWith("#") && eq > 0) {
                effective.put(s.substring(0, eq).strip(), s.substring(eq + 1).strip());
            }
        }
        Set<String> vars = new TreeSet<>();
        for (String value : effective.values()) {
            Matcher m = ENV_REFERENCE.matcher(value);
            while (m.find()) {
                vars.add(m.group(1));
            }
        }
        return vars;
    }

    static Integer httpPort(String service) {
        Matcher m = HTTP_PORT.matcher(configuration(service));
        return m.find() ? Integer.parseInt(m.group(1)) : null;
    }

    /**
     * The value a property has in production: its %prod line, else its plain line; of
     * {@code ${VARIABLE:default}} the default. Empty when the service's properties do not set it.
     */
    static Optional<String> property(String service, String key) {
        String props = configuration(service);
        String plain = null;
        String prod = null;
        for (String line : props.split("\n")) {
            String s = line.strip();
            int eq = s.indexOf('=');
            if (s.startsWith("#") || eq < 0) {
                continue;
            }
            String name = s.substring(0, eq).strip();
            String value = s.substring(eq + 1).strip();
            if (name.equals(key)) {
                plain = value;
            } else if (name.equals("%prod." + key)) {
                prod = value;
            }
        }
        String value = prod != null ? prod : plain;
        if (value == null) {
            return Optional.empty();
        }
        Matcher withDefault = VARIABLE_WITH_DEFAULT.matcher(value);
        return Optional.of(withDefault.matches() ? withDefault.group(1) : value);
    }

    /** A Quarkus duration ({@code 20s}, {@code 500ms}, {@code 1m}, {@code 20} = seconds, {@code PT20S}); null if it is none. */
    static Duration duration(String text) {
        String s = text.strip();
        Matcher m = SHORT_DURATION.matcher(s);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Topics the platform uses: named in the event contract (events module) or in a service's
     * messaging configuration, plus the dead-letter topic of every service that consumes.
     */
    static Set<String> topics(Set<String> services) {
        Set<String> topics = new TreeSet<>();
        Path events = Kustomize.REPO.resolve("events/src/main/java");
        if (Files.isDirectory(events)) {
            try (Stream<Path> files = Files.walk(events)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    Matcher m = TOPIC_LITERAL.matcher(read(f));
                    while (m.find()) {
                        topics.add(m.group(1));
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String service : services) {
            String props = configuration(service);
            Matcher m = TOPIC_PROPERTY.matcher(props);
            while (m.find()) {
                topics.add(m.group(1));
            }
            if (INCOMING.matcher(props).find()) {
                topics.add("conduit.dlq." + service);
            }
        }
        return topics;
    }

    /** The topics a service's channels consume (mp.messaging.incoming.*.topic). */
    static Set<String> consumedTopics(String service) {
        return channelTopics(service, "incoming");
    }

    /** The topics a service's channels send to (mp.messaging.outgoing.*.topic): its own events. */
    static Set<String> producedTopics(String service) {
        return channelTopics(service, "outgoing");
    }

    private static Set<String> channelTopics(String service, String direction) {
        Set<String> topics = new TreeSet<>();
        Matcher m = CHANNEL_TOPIC.matcher(configuration(service));
        while (m.find()) {
            if (m.group(1).equals(direction)) {
                topics.add(m.group(2));
            }
        }
        return topics;
    }

    /** The consumer group: kafka.group.id if set, else the application's name (Quarkus' default), else the service's. */
    static String consumerGroup(String service) {
        return property(service, "kafka.group.id").or(() -> property(service, "quarkus.application.name")).orElse(service);
    }

    /** A Kafka Streams application's id (quarkus.kafka-streams.application-id); empty for any other service. */
    static Optional<String> streamsApplicationId(String service) {
        return property(service, "quarkus.kafka-streams.application-id");
    }

    /** The topics a Kafka Streams application reads (quarkus.kafka-streams.topics, which it waits for at start). */
    static Set<String> streamsSourceTopics(String service) {
        Set<String> topics = new TreeSet<>();
        property(service, "quarkus.kafka-streams.topics").ifPresent(list -> {
            for (String t : list.split(",")) {
                if (!t.isBlank()) {
                    topics.add(t.strip());
                }
            }
        });
        return topics;
    }

    /** Whether a Kafka Streams application processes exactly once (kafka-streams.processing.guarantee). */
    static boolean streamsExactlyOnce(String service) {
        return property(service, "kafka-streams.processing.guarantee")
                .or(() -> property(service, "quarkus.kafka-streams.processing.guarantee"))
                .map(g -> g.startsWith("exactly_once")).orElse(false);
    }

    static final Path EVENTS_README = Kustomize.REPO.resolve("events/README.md");

    /** Topic -> owning service, from the table "Topics and types" in events/README.md. */
    static Map<String, String> topicOwners() {
        Map<String, String> owners = new LinkedHashMap<>();
        for (String line : read(EVENTS_README).split("\n")) {
            Matcher m = OWNER_ROW.matcher(line.strip());
            if (m.find()) {
                owners.put(m.group(1), m.group(2));
            }
        }
        if (owners.isEmpty()) {
            throw new IllegalStateException(EVENTS_README + " has no topic table (| `topic` | owner | ...)");
        }
        return owners;
    }

    /**
     * Secrets made outside the manifests (`kubectl create secret generic|tls NAME`): by
     * k8s/create-secrets.sh, or by a command k8s/README.md gives.
     */
    static Set<String> documentedSecrets() {
        Set<String> names = new TreeSet<>();
        Matcher m = SECRET_COMMAND.matcher(read(README) + "\n" + read(CREATE_SECRETS));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String readIfExists(Path file) {
        return Files.isRegularFile(file) ? read(file) : "";
    }

    static List<String> services() {
        return List.copyOf(table().keySet());
    }
}

package dev.conduit.localstack.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a service's Prometheus endpoint ({@code /q/metrics} on its management interface),
 * to read a sample the way Prometheus would: {@code scrape.value("conduit_outbox_pending",
 * Map.of("collection", "users"))}.
 */
public final class Scrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String text;

    private Scrape(String text) {
        this.text = text;
    }

    /** Scrapes the service whose management URL Quarkus injected ({@code @TestHTTPResource(value = "/", management = true)}). */
    public static Scrape of(URL management) {
        URI metrics = URI.create(TestServers.managementRoot(management) + "/q/metrics");
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(metrics + " answered " + response.statusCode());
            }
            return new Scrape(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot scrape " + metrics, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A scrape already read, e.g. with REST Assured. */
    public static Scrape parse(String text) {
        return new Scrape(text);
    }

    /** The value of the first sample of {@code name} carrying at least {@code labels}; empty if none. */
    public OptionalDouble value(String name, Map<String, String> labels) {
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line.trim());
            if (!line.startsWith("#") && sample.matches() && sample.group(1).equals(name)
                    && labelsOf(sample.group(2)).entrySet().containsAll(labels.entrySet())) {
                return OptionalDouble.of(Double.parseDouble(sample.group(3)));
            }
        }
        return OptionalDouble.empty();
    }

    /** The sum of every sample of {@code name} carrying at least {@code labels}, e.g. over partitions; empty if none. */
    public OptionalDouble sum(String name, Map<String, String> labels) {
        double sum = 0;
        boolean any = false;
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line.trim());
            if (!line.startsWith("#") && sample.matches() && sample.group(1).equals(name)
                    && labelsOf(sample.group(2)).entrySet().containsAll(labels.entrySet())) {
                sum += Double.parseDouble(sample.group(3));
                any = true;
            }
        }
        return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /** {@link #value}, or 0 when there is no such sample yet (a counter or timer not yet registered). */
    public double valueOrZero(String name, Map<String, String> labels) {
        return value(name, labels).orElse(0);
    }

    /** The whole scrape, for failure messages and reports. */
    public String text() {
        return text;
    }

    private static Map<String, String> labelsOf(String labels) {
        Map<String, String> parsed = new HashMap<>();
        if (labels != null) {
            Matcher label = LABEL.matcher(labels);
            while (label.find()) {
                parsed.put(label.group(1), label.group(2));
            }
        }
        return parsed;
    }
}

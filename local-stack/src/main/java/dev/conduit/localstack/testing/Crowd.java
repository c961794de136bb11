package dev.conduit.localstack.testing;

import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

import static io.restassured.RestAssured.given;

/**
 * Many requests at once at one hot spot: a fixed pool of {@value #THREADS} threads, every request
 * bounded by a connect and a read timeout, the whole crowd by {@value #CROWD_TIMEOUT_SECONDS} s.
 */
public final class Crowd {

    public static final int THREADS = 32;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 60_000;
    private static final long CROWD_TIMEOUT_SECONDS = 240;

    /** What one request got back: its index in the crowd, the status and the body. */
    public record Answer(int index, int status, String body) {
    }

    private Crowd() {
    }

    /** A request specification whose connection and read are bounded. */
    public static RequestSpecification bounded() {
        return given().config(RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.connection.timeout", CONNECT_TIMEOUT_MILLIS)
                .setParam("http.socket.timeout", READ_TIMEOUT_MILLIS)));
    }

    /**
     * Runs {@code count} requests, request {@code i} made by {@code request.apply(i)} (which should
     * start from {@link #bounded()}), and returns every answer in index order. A request that throws
     * (a timeout, a refused connection) or does not finish in time fails the crowd.
     */
    public static List<Answer> run(int count, IntFunction<Response> request) {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Callable<Answer>> tasks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                tasks.add(() -> {
                    Response response = request.apply(index);
                    return new Answer(index, response.statusCode(), response.asString());
                });
            }
            List<Future<Answer>> futures = pool.invokeAll(tasks, CROWD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<Answer> answers = new ArrayList<>(count);
            for (Future<Answer> future : futures) {
                if (future.isCancelled()) {
                    throw new AssertionError("the crowd did not finish within " + CROWD_TIMEOUT_SECONDS + " s");
                }
                answers.add(future.get());
            }
            return answers;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("a request of the crowd failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** How many answers had each status, for assertion messages. */
    public static Map<Integer, Long> statuses(List<Answer> answers) {
        Map<Integer, Long> counts = new TreeMap<>();
        answers.forEach(a -> counts.merge(a.status(), 1L, Long::sum));
        return counts;
    }

    /** The bodies of the answers whose status matches, at most a few, for assertion messages. */
    public static List<String> samples(List<Answer> answers, IntPredicate status) {
        return answers.stream().filter(a -> status.test(a.status())).limit(3).map(a -> a.status() + " " + a.body()).toList();
    }
}

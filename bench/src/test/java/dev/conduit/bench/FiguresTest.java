package dev.conduit.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's arithmetic and parsing; nothing here starts the platform. */
class FiguresTest {

    @Test
    void cpuTicksAreUtimePlusStimeCountedFromTheLastParenthesis() {
        // a command name with a space and a ')' of its own, as /proc allows
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 51234 0 12 0 1500 250 0 0 20 0 41 0 12345 "
                + "3870000000 50000 18446744073709551615 1 1 0 0 0 0 0 4096 16384 0 0 0 17 1 0 0 0 0 0";
        assertEquals(1750, Processes.cpuTicks(stat));
    }

    @Test
    void kibibytesComeFromTheNamedStatusLine() {
        String status = "Name:\tjava\nVmHWM:\t  812344 kB\nVmRSS:\t  790112 kB\nThreads:\t41\n";
        assertEquals(790112, Processes.kib(status, "VmRSS"));
        assertEquals(812344, Processes.kib(status, "VmHWM"));
        assertEquals(0, Processes.kib(status, "VmSwap"));
    }

    @Test
    void ticksBecomeMilliseconds() {
        assertEquals(1750.0, Processes.cpuMs(175, 100));
        assertEquals(1000.0, Processes.cpuMs(250, 250));
    }

    @Test
    void summedRssIsInMibAndMissingWhenAProcessIs() {
        Processes.Snapshot snapshot = new Processes.Snapshot(Map.of(
                "gateway", new Processes.Sample(1, 0, 100 * 1024, 120 * 1024),
                "post-service", new Processes.Sample(2, 0, 200 * 1024, 250 * 1024)));
        assertEquals(300.0, snapshot.rssMib(List.of("gateway", "post-service")).getAsDouble());
        assertEquals(370.0, snapshot.peakRssMib(List.of("gateway", "post-service")).getAsDouble());
        assertTrue(snapshot.rssMib(List.of("gateway", "user-service")).isEmpty());
    }

    @Test
    void trendingServiceIsMeasuredButNotOneOfTheFourServices() {
        assertEquals(List.of("gateway", "user-service", "post-service", "comment-service"), Processes.SERVICES);
        assertTrue(Processes.all().contains("trending-service"));
        Map<String, Processes.Sample> samples = new java.util.HashMap<>();
        Processes.SERVICES.forEach(s -> samples.put(s, new Processes.Sample(s.length(), 0, 100 * 1024, 100 * 1024)));
        samples.put("trending-service", new Processes.Sample(99, 0, 150 * 1024, 150 * 1024));
        Processes.Snapshot snapshot = new Processes.Snapshot(samples);
        assertEquals(400.0, snapshot.rssMib(Processes.SERVICES).getAsDouble());
        assertEquals(150.0, snapshot.rssMib(Processes.STREAMS).getAsDouble());
    }

    @Test
    void percentilesAndRateComeFromTheHistogramOfMicroseconds() {
        Histogram latencies = new Histogram(3);
        for (int i = 1; i <= 100; i++) {
            latencies.recordValue(i * 1000L);
        }
        LoadGenerator.Result result = new LoadGenerator.Result(100, Map.of("HTTP 503", 3L), latencies, 4.0);
        assertEquals(25.0, result.perSecond());
        assertEquals(50.0, result.percentileMs(50), 0.1);
        assertEquals(99.0, result.percentileMs(99), 0.1);
        assertEquals(3, result.errorCount());
        assertTrue(Double.isNaN(new LoadGenerator.Result(0, Map.of(), new Histogram(3), 1.0).percentileMs(99)));
    }

    @Test
    void defaultsAreTheIssuesWorkloadAndCreateRunsLast() {
        Options defaults = Options.parse(List.of(), Path.of("BENCHMARKS.md"));
        assertTrue(defaults.isIssueWorkload());
        assertEquals(List.of(Scenario.LIST, Scenario.ARTICLE, Scenario.COMMENTS, Scenario.CREATE), List.copyOf(defaults.scenarios()));

        Options chosen = Options.parse(List.of("--scenarios", "create,list", "--articles", "10000", "--direct"), Path.of("B.md"));
        assertEquals(List.of(Scenario.LIST, Scenario.CREATE), List.copyOf(chosen.scenarios()));
        assertTrue(chosen.direct());
        assertTrue(chosen.isIssueWorkload());

        assertFalse(Options.parse(List.of("--seconds", "3"), Path.of("B.md")).isIssueWorkload());
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--scenarios", "feed"), Path.of("B.md")));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--seconds", "0"), Path.of("B.md")));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--connections"), Path.of("B.md")));
    }

    @Test
    void rateLimitsCountAsLiftedOnlyWhenHighEnough() {
        assertTrue(Main.lifted("1000000000"));
        assertFalse(Main.lifted("600"));
        assertFalse(Main.lifted(null));
        assertFalse(Main.lifted("lots"));
    }

    @Test
    void tablesAlignNamesLeftAndFiguresRight() {
        Table table = new Table(1, "scenario", "req/s").row("list", "1,234").row("article|x", "5");
        assertEquals("""
                scenario   req/s
                ---------  -----
                list       1,234
                article|x      5
                """, table.text());
        assertEquals("""
                | scenario | req/s |
                |---|---:|
                | list | 1,234 |
                | article\\|x | 5 |
                """, table.markdown());
        assertEquals("""
                | n | met | x |
                |---|---|---:|
                | a | yes | 1 |
                """, new Table(1, "n", "met", "x").text("met").row("a", "yes", "1").markdown());
        assertEquals("n/a", Table.small(OptionalDouble.empty()));
        assertEquals("0.125", Table.small(OptionalDouble.of(0.125)));
        assertEquals("12.5", Table.small(OptionalDouble.of(12.5)));
        assertEquals("n/a", Table.number(Double.NaN, 1));
    }

    @Test
    void propagationIsOnByDefaultAndCanBeAllThereIs() {
        assertEquals(200, Options.parse(List.of(), Path.of("B.md")).propagation());
        Options only = Options.parse(List.of("--scenarios", "none", "--propagation", "50"), Path.of("B.md"));
        assertTrue(only.scenarios().isEmpty());
        assertEquals(50, only.propagation());
        assertThrows(IllegalArgumentException.class,
                () -> Options.parse(List.of("--scenarios", "none", "--propagation", "0"), Path.of("B.md")));
    }

    @Test
    void propagationPercentilesAreNearestRankOfTheSortedSamples() {
        double[] millis = new double[200];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = millis.length - i;
        }
        Propagation.Result result = new Propagation.Result("w", "r", millis, 0);
        assertEquals(100.0, result.percentile(50));
        assertEquals(198.0, result.percentile(99));
        assertEquals(200.0, result.max());
        assertFalse(result.met());
        assertTrue(new Propagation.Result("w", "r", new double[] {5, 20, 99}, 0).met());
        assertFalse(new Propagation.Result("w", "r", new double[] {5, 20, 30}, 1).met(), "a write never seen misses the goal");
        assertTrue(Double.isNaN(new Propagation.Result("w", "r", new double[0], 0).percentile(99)));
    }
}

package dev.conduit.support.json;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TimestampsTest {

    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void writesMillisecondsAlwaysInUtc() {
        assertEquals("2026-01-01T10:00:00.000Z", Timestamps.format(Instant.parse("2026-01-01T10:00:00Z")));
        assertEquals("1970-01-01T00:00:00.000Z", Timestamps.format(Instant.EPOCH));
        assertEquals("1969-12-31T23:59:59.999Z", Timestamps.format(Instant.ofEpochMilli(-1)));
        assertEquals("2024-02-29T23:59:59.007Z", Timestamps.format(Instant.parse("2024-02-29T23:59:59.007891Z")));
        assertEquals("0001-01-01T00:00:00.000Z", Timestamps.format(Instant.parse("0001-01-01T00:00:00Z")));
        assertEquals("9999-12-31T23:59:59.999Z", Timestamps.format(Instant.parse("9999-12-31T23:59:59.999Z")));
        assertNull(Timestamps.format(null));
    }

    @Test
    void yearsOutsideFourDigitsKeepTheFormattersAnswer() {
        Instant far = Instant.parse("+10000-01-01T00:00:00Z");
        assertEquals(REFERENCE.format(far), Timestamps.format(far));
        Instant before = Instant.parse("0000-12-31T23:59:59.5Z"); // 1 BC: the year of era
        assertEquals(REFERENCE.format(before), Timestamps.format(before));
    }

    @Test
    void agreesWithTheFormatterOnRandomInstants() {
        SplittableRandom random = new SplittableRandom(12);
        long min = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("+10100-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(min, max), random.nextInt(1_000_000_000));
            assertEquals(REFERENCE.format(instant), Timestamps.format(instant), instant::toString);
        }
    }
}

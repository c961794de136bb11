package dev.conduit.user.service;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Second precision: a cut-off refuses every token issued before the change and none issued after. */
class TokenIssuerTest {

    @Test
    void theCutoffIsTheNextWholeSecond() {
        assertEquals(Instant.parse("2026-01-01T10:00:01Z"), TokenIssuer.cutoffFor(Instant.parse("2026-01-01T10:00:00.000Z")));
        assertEquals(Instant.parse("2026-01-01T10:00:01Z"), TokenIssuer.cutoffFor(Instant.parse("2026-01-01T10:00:00.999Z")));
    }

    @Test
    void aTokenIssuedBeforeTheChangeIsOlderThanTheCutoffAndOneIssuedAfterItIsNot() {
        Instant change = Instant.parse("2026-01-01T10:00:00.400Z");
        Instant cutoff = TokenIssuer.cutoffFor(change);
        // issued earlier in the same second as the change: iat 10:00:00, refused
        long before = TokenIssuer.issuedAt(Instant.parse("2026-01-01T10:00:00.100Z"), null);
        assertEquals(true, before < cutoff.getEpochSecond());
        // issued later in that second (the answer to the change, a login): carries the cut-off, valid
        assertEquals(cutoff.getEpochSecond(), TokenIssuer.issuedAt(Instant.parse("2026-01-01T10:00:00.700Z"), cutoff));
        // issued later on: now
        assertEquals(Instant.parse("2026-01-01T10:00:05Z").getEpochSecond(),
                TokenIssuer.issuedAt(Instant.parse("2026-01-01T10:00:05.300Z"), cutoff));
    }
}

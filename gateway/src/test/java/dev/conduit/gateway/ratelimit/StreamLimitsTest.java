package dev.conduit.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamLimitsTest {

    @Test
    void aClientGetsItsLimitAndAPlaceBackWhenAStreamEnds() {
        StreamLimits limits = new StreamLimits(2, 100);
        StreamLimits.Decision first = limits.tryOpen("user:jake");
        assertTrue(first.allowed());
        assertTrue(limits.tryOpen("user:jake").allowed());
        StreamLimits.Decision third = limits.tryOpen("user:jake");
        assertFalse(third.allowed());
        assertEquals(StreamLimits.Refusal.CLIENT, third.refusal());
        assertTrue(limits.tryOpen("user:anna").allowed(), "another client has its own count");
        first.permit().release();
        assertTrue(limits.tryOpen("user:jake").allowed());
        assertEquals(3, limits.open());
    }

    @Test
    void theTotalLimitHoldsAcrossClients() {
        StreamLimits limits = new StreamLimits(5, 3);
        for (String client : new String[] {"a", "b", "c"}) {
            assertTrue(limits.tryOpen(client).allowed());
        }
        StreamLimits.Decision refused = limits.tryOpen("d");
        assertEquals(StreamLimits.Refusal.TOTAL, refused.refusal());
        assertEquals(3, limits.open(), "a refusal takes no place");
        assertEquals(3, limits.clients());
    }

    @Test
    void releasingTwiceGivesBackOnePlaceAndEmptyClientsAreForgotten() {
        StreamLimits limits = new StreamLimits(1, 10);
        StreamLimits.Permit permit = limits.tryOpen("client:10.0.0.7").permit();
        permit.release();
        permit.release();
        assertEquals(0, limits.open());
        assertEquals(0, limits.clients());
        assertTrue(limits.tryOpen("client:10.0.0.7").allowed());
        assertFalse(limits.tryOpen("client:10.0.0.7").allowed());
    }

    @Test
    void concurrentOpenAndCloseLeavesNothingBehind() throws Exception {
        StreamLimits limits = new StreamLimits(3, 50);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String client = "client-" + (t % 3);
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        StreamLimits.Decision decision = limits.tryOpen(client);
                        if (decision.allowed()) {
                            assertTrue(limits.open() <= 50);
                            decision.permit().release();
                        }
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, limits.open());
        assertEquals(0, limits.clients());
    }
}

package dev.conduit.support.live;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Live updates (Server-Sent Events fed from Kafka), prefix {@code conduit.live}; see service-support's README. */
@ConfigMapping(prefix = "conduit.live")
public interface LiveConfig {

    /** Events one stream may have waiting; a stream whose queue is full has fallen behind and is closed. */
    @WithDefault("256")
    int buffer();

    /** A comment line is sent this often, so proxies and clients see the stream is alive. */
    @WithDefault("15s")
    Duration keepAlive();

    /** Open streams per instance; one more is answered 503. */
    @WithDefault("1000")
    int maxStreams();

    /** How long a stream that fell behind has to take its {@code overflow} event before its connection is closed. */
    @WithDefault("2s")
    Duration overflowGrace();

    /**
     * The most records a resume may read back (all partitions together); a {@code Last-Event-ID}
     * further behind starts with {@code event: reset} (the client reloads) and continues live.
     */
    @WithDefault("10000")
    int maxReplay();

    /** How long a new stream waits for the instance's Kafka reader to know its start position before a 503. */
    @WithDefault("10s")
    Duration startTimeout();
}

package dev.conduit.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client on a plain socket, so a test sees exactly when each byte arrives and
 * controls exactly when the connection goes away ({@link #close()}). Reads the response head, then the
 * (chunked or sized) body on a thread of its own, parsing events as {@code EventSource} does.
 */
final class SseClient implements AutoCloseable {

    /** One dispatched event. */
    record Event(String id, String type, String data) {
    }

    private final Socket socket;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CountDownLatch headRead = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private volatile int status;
    private final Map<String, String> headers = new TreeMap<>();

    private SseClient(Socket socket) {
        this.socket = socket;
    }

    /** Sends {@code GET path} to the gateway with the given headers and starts reading the answer. */
    static SseClient open(String path, Map<String, String> requestHeaders) {
        return open(path, requestHeaders, new CountDownLatch(0));
    }

    /** As {@link #open(String, Map)}, reading nothing until {@code startReading} opens: a client that does not keep up. */
    static SseClient open(String path, Map<String, String> requestHeaders, CountDownLatch startReading) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), gatewayPort());
            socket.setTcpNoDelay(true);
            StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n");
            requestHeaders.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            SseClient client = new SseClient(socket);
            Thread reader = new Thread(() -> {
                try {
                    startReading.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                client.read();
            }, "sse-client");
            reader.setDaemon(true);
            reader.start();
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int gatewayPort() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    /** The response status, once the head arrived (waits up to 5 s). */
    int status() {
        awaitHead();
        return status;
    }

    String header(String name) {
        awaitHead();
        synchronized (headers) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** The next event, or null if none arrives within {@code timeout}. */
    Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the gateway ended the response or closed the connection. */
    boolean isEnded() {
        return ended.getCount() == 0;
    }

    /** The whole body of an answer that ended (an error envelope), as text. */
    String bodyText() {
        try {
            if (!ended.await(5, TimeUnit.SECONDS)) {
                throw new AssertionError("the response did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (body) {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that matters
        }
    }

    private void awaitHead() {
        try {
            if (!headRead.await(5, TimeUnit.SECONDS)) {
                throw new AssertionError("no response head within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void read() {
        try (InputStream in = socket.getInputStream()) {
            String statusLine = line(in);
            status = Integer.parseInt(statusLine.split(" ")[1]);
            String headerLine;
            while (!(headerLine = line(in)).isEmpty()) {
                int colon = headerLine.indexOf(':');
                synchronized (headers) {
                    headers.put(headerLine.substring(0, colon).trim().toLowerCase(Locale.ROOT), headerLine.substring(colon + 1).trim());
                }
            }
            headRead.countDown();
            EventParser parser = new EventParser();
            String length = headers.get("content-length");
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                while (true) {
                    int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    byte[] chunk = in.readNBytes(size);
                    if (chunk.length < size) {
                        break;
                    }
                    line(in);
                    feed(parser, chunk);
                }
            } else if (length != null) {
                feed(parser, in.readNBytes(Integer.parseInt(length)));
            }
        } catch (IOException | RuntimeException closed) {
            // the connection went away: the stream is over
        } finally {
            headRead.countDown();
            ended.countDown();
        }
    }

    private void feed(EventParser parser, byte[] bytes) {
        synchronized (body) {
            body.writeBytes(bytes);
        }
        parser.feed(new String(bytes, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int last = line.length() - 1;
                return last >= 0 && line.charAt(last) == '\r' ? line.substring(0, last) : line.toString();
            }
            line.append((char) c);
        }
        throw new IOException("connection closed");
    }

    /** The event-stream format: fields per line, an empty line dispatches, {@code :} lines are comments. */
    private final class EventParser {
        private final StringBuilder pending = new StringBuilder();
        private String id;
        private String type;
        private StringBuilder data;

        void feed(String text) {
            pending.append(text);
            int newline;
            while ((newline = pending.indexOf("\n")) >= 0) {
                String line = pending.substring(0, newline);
                pending.delete(0, newline + 1);
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, type == null ? "message" : type, data.toString()));
                    }
                    type = null;
                    data = null;
                } else if (!line.startsWith(":")) {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> type = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> {
                        }
                    }
                }
            }
        }
    }
}

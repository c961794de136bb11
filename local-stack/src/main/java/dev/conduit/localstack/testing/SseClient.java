package dev.conduit.localstack.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Server-Sent Events client on a plain socket, for tests: one {@code GET}, the status and
 * headers, then events parsed as they arrive (chunked transfer decoded). It reads only when asked
 * ({@link #next}), so a test that stops asking is a subscriber that stopped reading; a small
 * {@code receiveBuffer} makes such a client fall behind quickly. Not thread-safe.
 */
public final class SseClient implements AutoCloseable {

    /** One event: {@code id:}, {@code event:} (null means {@code message}) and {@code data:}. */
    public record Event(String id, String type, String data) {
    }

    /** The stream ended (the server closed it) before an event came. */
    public static final class Ended extends RuntimeException {
        Ended() {
            super("the stream ended", null, false, false);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final boolean chunked;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    // chunked decoding state, kept across read timeouts
    private long chunkLeft;
    private final ByteArrayOutputStream chunkHeader = new ByteArrayOutputStream();
    private boolean chunkTrailer;
    private boolean ended;
    // the event being parsed
    private String id;
    private String type;
    private StringBuilder data;
    private int comments;

    private SseClient(Socket socket, InputStream in, int status, boolean chunked) {
        this.socket = socket;
        this.in = in;
        this.status = status;
        this.chunked = chunked;
    }

    /** Opens {@code base + path} with the given request headers; a {@code receiveBuffer} of 0 keeps the system's. */
    public static SseClient open(URI base, String path, Map<String, String> requestHeaders, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                    .append("Accept: text/event-stream\r\n");
            requestHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1024);
            String statusLine = rawLine(in);
            if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = rawLine(in); header != null && !header.isEmpty(); header = rawLine(in)) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
            }
            SseClient client = new SseClient(socket, in, status,
                    "chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", "")));
            client.headers.putAll(headers);
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SseClient open(URI base, String path, Map<String, String> requestHeaders) {
        return open(base, path, requestHeaders, 0);
    }

    public int status() {
        return status;
    }

    /** A response header, by its name in any case. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Comment lines (keep-alives) seen so far. */
    public int comments() {
        return comments;
    }

    /** The whole body of a response that is not a stream (an error), read to its end. */
    public String body() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            if (chunked) {
                int b;
                while ((b = bodyByte(System.nanoTime() + Duration.ofSeconds(10).toNanos())) >= 0) {
                    body.write(b);
                }
            } else {
                long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
                for (long i = 0; i < length; i++) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    body.write(b);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    /** The next event, or null if none came within {@code timeout}; {@link Ended} when the server ended the stream. */
    public Event next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                int b = bodyByte(deadline);
                if (b == -2) {
                    return null;
                }
                if (b < 0) {
                    throw new Ended();
                }
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                Event event = field(text);
                if (event != null) {
                    return event;
                }
            }
        } catch (IOException e) {
            // a connection the server reset counts as ended too
            throw new Ended();
        }
    }

    /** Exactly {@code count} events, each within {@code timeout}; fails with what came so far otherwise. */
    public List<Event> take(int count, Duration timeout) {
        List<Event> events = new ArrayList<>();
        while (events.size() < count) {
            Event event;
            try {
                event = next(timeout);
            } catch (Ended e) {
                throw new AssertionError("the stream ended after " + events.size() + " of " + count + " events: " + events);
            }
            if (event == null) {
                throw new AssertionError("only " + events.size() + " of " + count + " events within " + timeout + ": " + events);
            }
            events.add(event);
        }
        return events;
    }

    /** Every event until the stream ends, waiting at most {@code timeout} for each. */
    public List<Event> untilEnd(Duration timeout) {
        List<Event> events = new ArrayList<>();
        try {
            while (true) {
                Event event = next(timeout);
                if (event == null) {
                    throw new AssertionError("the stream did not end; events so far: " + events.size());
                }
                events.add(event);
            }
        } catch (Ended e) {
            return events;
        }
    }

    private Event field(String text) {
        if (text.isEmpty()) {
            if (data == null && type == null) {
                return null;
            }
            Event event = new Event(id, type, data == null ? "" : data.toString());
            type = null;
            data = null;
            return event;
        }
        if (text.startsWith(":")) {
            comments++;
            return null;
        }
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (name) {
            case "id" -> id = value;
            case "event" -> type = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {
                // retry and unknown fields are ignored, as a browser does
            }
        }
        return null;
    }

    /** One byte of the body; -1 at its end, -2 when the deadline passed first. */
    private int bodyByte(long deadline) throws IOException {
        if (ended) {
            return -1;
        }
        try {
            if (!chunked) {
                setTimeout(deadline);
                int b = in.read();
                ended = b < 0;
                return b;
            }
            while (chunkLeft == 0) {
                setTimeout(deadline);
                int b = in.read();
                if (b < 0) {
                    ended = true;
                    return -1;
                }
                if (b != '\n') {
                    chunkHeader.write(b);
                    continue;
                }
                String header = chunkHeader.toString(StandardCharsets.US_ASCII).trim();
                chunkHeader.reset();
                if (chunkTrailer) {
                    // the CRLF after a chunk's data
                    chunkTrailer = false;
                    continue;
                }
                int semicolon = header.indexOf(';');
                long size = Long.parseLong(semicolon < 0 ? header : header.substring(0, semicolon), 16);
                if (size == 0) {
                    ended = true;
                    return -1;
                }
                chunkLeft = size;
            }
            setTimeout(deadline);
            int b = in.read();
            if (b < 0) {
                ended = true;
                return -1;
            }
            if (--chunkLeft == 0) {
                chunkTrailer = true;
            }
            return b;
        } catch (SocketTimeoutException e) {
            return -2;
        }
    }

    private void setTimeout(long deadline) throws IOException {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        if (deadline - System.nanoTime() <= 0) {
            throw new SocketTimeoutException();
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }

    private static String rawLine(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            bytes.write(b);
        }
        if (b < 0 && bytes.size() == 0) {
            return null;
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}

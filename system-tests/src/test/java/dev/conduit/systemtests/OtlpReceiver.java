package dev.conduit.systemtests;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * An in-memory span store that the platform's services export to: an OTLP/HTTP receiver
 * ({@code POST /v1/traces}, {@code application/x-protobuf}) on a free loopback port. It decodes only
 * what the tests look at (service, ids, parent, name, kind, string attributes) with a minimal
 * protobuf reader, so the test needs no OTLP library.
 */
final class OtlpReceiver implements AutoCloseable {

    /** OTLP span kinds. */
    static final int SERVER = 2;
    static final int CLIENT = 3;
    static final int PRODUCER = 4;
    static final int CONSUMER = 5;

    record Span(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
                Map<String, String> attributes) {
    }

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "otlp-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/v1/traces", this::receive);
        server.start();
    }

    /** What the services' OTLP exporter is pointed at. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Span> spans() {
        return List.copyOf(spans);
    }

    List<Span> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                readRequest(new Reader(body, 0, body.length));
            } catch (RuntimeException e) {
                // visible in the test output, not only as spans that never arrive
                e.printStackTrace();
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            // an empty ExportTraceServiceResponse: everything accepted
            exchange.sendResponseHeaders(200, -1);
        }
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    private void readRequest(Reader request) {
        while (request.more()) {
            int tag = request.tag();
            if (tag >>> 3 == 1) {
                readResourceSpans(request.message());
            } else {
                request.skip(tag);
            }
        }
    }

    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
    // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
    private void readResourceSpans(Reader resourceSpans) {
        String service = null;
        List<Reader> scopes = new ArrayList<>();
        while (resourceSpans.more()) {
            int tag = resourceSpans.tag();
            switch (tag >>> 3) {
                case 1 -> service = attributes(resourceSpans.message(), 1).get("service.name");
                case 2 -> scopes.add(resourceSpans.message());
                default -> resourceSpans.skip(tag);
            }
        }
        for (Reader scope : scopes) {
            while (scope.more()) {
                int tag = scope.tag();
                if (tag >>> 3 == 2) {
                    spans.add(readSpan(service, scope.message()));
                } else {
                    scope.skip(tag);
                }
            }
        }
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5;
    //        SpanKind kind = 6; repeated KeyValue attributes = 9; ... }
    private static Span readSpan(String service, Reader span) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        Map<String, String> attributes = new LinkedHashMap<>();
        while (span.more()) {
            int tag = span.tag();
            switch (tag >>> 3) {
                case 1 -> traceId = HexFormat.of().formatHex(span.bytes());
                case 2 -> spanId = HexFormat.of().formatHex(span.bytes());
                case 4 -> parent = HexFormat.of().formatHex(span.bytes());
                case 5 -> name = span.string();
                case 6 -> kind = (int) span.varint();
                case 9 -> attributes.putAll(keyValue(span.message()));
                default -> span.skip(tag);
            }
        }
        return new Span(service, traceId, spanId, parent, name, kind, Map.copyOf(attributes));
    }

    /** The string attributes of a message whose field {@code field} is a repeated KeyValue. */
    private static Map<String, String> attributes(Reader message, int field) {
        Map<String, String> attributes = new LinkedHashMap<>();
        while (message.more()) {
            int tag = message.tag();
            if (tag >>> 3 == field) {
                attributes.putAll(keyValue(message.message()));
            } else {
                message.skip(tag);
            }
        }
        return attributes;
    }

    // KeyValue { string key = 1; AnyValue value = 2; }  AnyValue { string string_value = 1; ... }
    private static Map<String, String> keyValue(Reader keyValue) {
        String key = null;
        String value = null;
        while (keyValue.more()) {
            int tag = keyValue.tag();
            if (tag >>> 3 == 1) {
                key = keyValue.string();
            } else if (tag >>> 3 == 2) {
                Reader any = keyValue.message();
                while (any.more()) {
                    int anyTag = any.tag();
                    if (anyTag >>> 3 == 1) {
                        value = any.string();
                    } else {
                        any.skip(anyTag);
                    }
                }
            } else {
                keyValue.skip(tag);
            }
        }
        return key == null || value == null ? Map.of() : Map.of(key, value);
    }

    /** Protobuf wire format: varints, fixed 32/64-bit values and length-delimited fields. */
    private static final class Reader {
        private final byte[] bytes;
        private int pos;
        private final int end;

        Reader(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.pos = from;
            this.end = to;
        }

        boolean more() {
            return pos < end;
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = bytes[pos++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalStateException("malformed varint");
        }

        Reader message() {
            int length = (int) varint();
            Reader sub = new Reader(bytes, pos, pos + length);
            pos += length;
            return sub;
        }

        byte[] bytes() {
            int length = (int) varint();
            byte[] out = Arrays.copyOfRange(bytes, pos, pos + length);
            pos += length;
            return out;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    // the length first: "pos += varint()" would add it to pos as it was before the length
                    int length = (int) varint();
                    pos += length;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalStateException("unsupported wire type " + (tag & 7));
            }
        }
    }
}

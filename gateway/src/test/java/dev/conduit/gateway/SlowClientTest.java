package dev.conduit.gateway;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow but honest clients succeed; clients that stall are cut off with 408 without ever holding a
 * connection to the service or counting against its breaker (test settings: request-timeout 1 s,
 * body-idle-timeout 1 s, body-timeout 4 s, breaker minimum calls 4).
 */
@QuarkusTest
@WithTestResource(StubServices.class)
class SlowClientTest extends GatewayTestSupport {

    private static final int BODY = 60_000;

    @Test
    void anUploadSpreadOverLongerThanTheRequestTimeoutCompletes() throws Exception {
        StubServices.reset();
        long started = System.nanoTime();
        String reply;
        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);
            write(socket, head(BODY));
            // 12 pieces, one every 200 ms: 2.4 s in all, more than twice the service's 1 s request timeout,
            // but never silent for the 1 s that marks a stalled client
            byte[] body = body(BODY);
            int piece = BODY / 12;
            for (int offset = 0; offset < BODY; offset += piece) {
                socket.getOutputStream().write(body, offset, Math.min(piece, BODY - offset));
                socket.getOutputStream().flush();
                LockSupport.parkNanos(200_000_000L);
            }
            reply = readResponse(socket);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(reply.startsWith("HTTP/1.1 200"), "after " + millis + " ms: " + reply);
        assertTrue(reply.contains("\"bodyLength\":" + BODY), reply);
        assertEquals(BODY, StubServices.single(StubServices.POST).body().length, "the service got the whole body");
    }

    @Test
    void aStalledUploadGets408AndNeverReachesTheService() throws Exception {
        StubServices.reset();
        // more stalled clients than the breaker needs to open (4 calls) and than one pool needs to fill
        for (int i = 0; i < 6; i++) {
            try (Socket socket = connect()) {
                socket.setSoTimeout(10_000);
                write(socket, head(BODY) + "{\"article\":{\"body\":\"half");
                long started = System.nanoTime();
                String reply = readResponse(socket);
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(reply.startsWith("HTTP/1.1 408"), reply);
                assertTrue(reply.contains("{\"errors\":{\"body\":[\"the request body stalled"), reply);
                assertTrue(millis < 5_000, "cut off after the 1 s of silence, not later: " + millis + " ms");
            }
        }
        assertEquals(0, StubServices.receivedCount(StubServices.POST), "a stalled body never reaches the service");
        // the breaker did not count them: the service is asked at once, for reads and writes
        RestAssured.given().get("/api/articles/a").then().statusCode(200);
        RestAssured.given().header("Authorization", "Token " + Tokens.valid("jake")).contentType("application/json")
                .body("{\"article\":{\"body\":\"whole\"}}").post("/api/articles").then().statusCode(200);
    }

    @Test
    void aTrickleThatNeverEndsIsCutOffAtTheBodyTimeout() throws Exception {
        StubServices.reset();
        try (Socket socket = connect()) {
            socket.setSoTimeout(15_000);
            write(socket, head(BODY));
            long started = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            String reply = null;
            // one byte every 300 ms: never silent for 1 s, never done within the 4 s body timeout
            for (int i = 0; i < 40 && reply == null; i++) {
                try {
                    out.write('x');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                LockSupport.parkNanos(300_000_000L);
                if (socket.getInputStream().available() > 0) {
                    reply = readResponse(socket);
                }
            }
            if (reply == null) {
                reply = readResponse(socket);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(reply.startsWith("HTTP/1.1 408"), reply);
            assertTrue(reply.contains("did not arrive within 4 s"), reply);
            assertTrue(millis >= 3_500 && millis < 9_000, "cut off at the body timeout: " + millis + " ms");
        }
        assertEquals(0, StubServices.receivedCount(StubServices.POST));
    }

    private static String head(int length) {
        return "POST /api/articles HTTP/1.1\r\nHost: localhost\r\nAuthorization: Token " + Tokens.valid("jake")
                + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n";
    }

    private static byte[] body(int length) {
        String prefix = "{\"article\":{\"body\":\"";
        String suffix = "\"}}";
        return (prefix + "x".repeat(length - prefix.length() - suffix.length()) + suffix).getBytes(StandardCharsets.US_ASCII);
    }

    /** The status line, headers and body of one response (the gateway closes or sets Content-Length). */
    private static String readResponse(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int contentLength = -1;
        int headerEnd = -1;
        int b;
        while ((b = in.read()) >= 0) {
            bytes.write(b);
            String text = bytes.toString(StandardCharsets.ISO_8859_1);
            if (headerEnd < 0 && text.endsWith("\r\n\r\n")) {
                headerEnd = text.length();
                for (String line : text.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
                if (contentLength == 0) {
                    break;
                }
            }
            if (headerEnd >= 0 && contentLength >= 0 && bytes.size() >= headerEnd + contentLength) {
                break;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), RestAssured.port);
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}

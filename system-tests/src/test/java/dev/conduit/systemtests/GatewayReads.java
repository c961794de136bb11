package dev.conduit.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reads through the shared platform's gateway that the fault tests check their results with. */
final class GatewayReads {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private GatewayReads() {
    }

    /** {@code GET path} (below the gateway's root), with the token if there is one; asserts a 200. */
    static JsonNode getJson(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway() + path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Token " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    /** The ids of the comments an article lists. */
    static Set<Long> commentIds(String slug) throws Exception {
        Set<Long> ids = new HashSet<>();
        getJson("/api/articles/" + slug + "/comments", null).get("comments").forEach(c -> ids.add(c.get("id").asLong()));
        return ids;
    }

    static String gateway() {
        return "http://127.0.0.1:" + SharedPlatform.get().settings().gatewayPort();
    }
}

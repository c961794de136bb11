package dev.conduit.trending.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.trending.config.TrendingConfig;
import dev.conduit.trending.rest.ApiException;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * post-service's article views by id ({@code GET /internal/articles?ids=}), with the caller's token
 * so that {@code favorited} and {@code author.following} are theirs. post-service away or failing:
 * 503 in the envelope; its 401 (a bad token) stays a 401. The call is traced and carries the
 * request id ({@link OutgoingCalls}).
 */
@ApplicationScoped
public class PostServiceClient {

    private static final Logger LOG = Logger.getLogger(PostServiceClient.class);

    private final TrendingConfig config;
    private final ObjectMapper json;
    private final HttpClient http;
    private final OutgoingCalls calls;

    public PostServiceClient(TrendingConfig config, ObjectMapper json, OutgoingCalls calls) {
        this.config = config;
        this.json = json;
        this.calls = calls;
        this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
    }

    /** The article views of {@code ids}, in their order (deleted ones left out). */
    public JsonNode articles(List<String> ids, String authorization) {
        String base = config.postServiceUrl().replaceAll("/+$", "");
        URI uri = URI.create(base + "/internal/articles?ids=" + URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout()).header("Accept", "application/json").GET();
        if (authorization != null && !authorization.isBlank()) {
            request.header("Authorization", authorization);
        }
        Span span = calls.start("GET /internal/articles", uri, request);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            OutgoingCalls.failed(span, e);
            Thread.currentThread().interrupt();
            throw unavailable();
        } catch (Exception e) {
            OutgoingCalls.failed(span, e);
            LOG.warnf("post-service did not answer: %s", e.toString());
            throw unavailable();
        }
        OutgoingCalls.answered(span, response.statusCode());
        if (response.statusCode() == 401) {
            throw new ApiException(401, "token is missing, invalid or expired");
        }
        if (response.statusCode() != 200) {
            LOG.warnf("post-service answered %d to a hydration", response.statusCode());
            throw unavailable();
        }
        try {
            JsonNode articles = json.readTree(response.body()).get("articles");
            if (articles == null || !articles.isArray()) {
                throw new IllegalStateException("no articles array");
            }
            return articles;
        } catch (Exception e) {
            LOG.warnf("post-service's answer is not an article list: %s", e.toString());
            throw unavailable();
        }
    }

    private ApiException unavailable() {
        return ApiException.unavailable("post-service is unavailable, try again shortly", config.retryAfterSeconds());
    }
}

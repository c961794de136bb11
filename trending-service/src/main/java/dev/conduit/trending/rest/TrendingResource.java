package dev.conduit.trending.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.trending.client.PostServiceClient;
import dev.conduit.trending.query.Ranked;
import dev.conduit.trending.query.TrendingQueries;
import dev.conduit.trending.query.TrendingQueries.Kind;
import dev.conduit.trending.query.TrendingQueries.Ranking;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/**
 * The public trending routes, an extension of the RealWorld contract: the same shapes as
 * {@code GET /api/articles} and {@code GET /api/tags}, highest score in the current window first.
 * Blocking (state store reads, calls to post-service and the other instances) on worker threads.
 */
@Path("/api/trending")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class TrendingResource {

    /** The ranking is never deeper than this: {@code offset + limit} of articles stays within it. */
    static final int MAX_DEPTH = TrendingQueries.MAX_DEPTH;
    static final String PARTIAL = "X-Conduit-Partial";

    private final TrendingQueries queries;
    private final PostServiceClient posts;

    public TrendingResource(TrendingQueries queries, PostServiceClient posts) {
        this.queries = queries;
        this.posts = posts;
    }

    @GET
    @Path("articles")
    public Response articles(@QueryParam("limit") String limitParam, @QueryParam("offset") String offsetParam,
                             @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        int limit = Params.integer("limit", limitParam, 20, 0, MAX_DEPTH);
        int offset = Params.integer("offset", offsetParam, 0, 0, MAX_DEPTH);
        if (offset + limit > MAX_DEPTH) {
            throw ApiException.invalid("offset + limit must be at most " + MAX_DEPTH);
        }
        Ranking ranking = queries.top(Kind.ARTICLES, MAX_DEPTH);
        List<String> page = ranking.entries().stream().skip(offset).limit(limit).map(Ranked::key).toList();
        JsonNode articles = page.isEmpty() ? null : posts.articles(page, authorization);
        Object body = Map.of("articles", articles == null ? List.of() : articles, "articlesCount", ranking.entries().size());
        return withPartial(Response.ok(body), ranking.partial());
    }

    @GET
    @Path("tags")
    public Response tags(@QueryParam("limit") String limitParam) {
        int limit = Params.integer("limit", limitParam, 10, 1, MAX_DEPTH);
        Ranking ranking = queries.top(Kind.TAGS, limit);
        return withPartial(Response.ok(Map.of("tags", ranking.entries().stream().map(Ranked::key).toList())), ranking.partial());
    }

    private static Response withPartial(Response.ResponseBuilder response, boolean partial) {
        if (partial) {
            response.header(PARTIAL, "true");
        }
        return response.build();
    }
}

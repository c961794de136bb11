package dev.conduit.trending.rest;

import dev.conduit.trending.query.Ranked;
import dev.conduit.trending.query.TrendingQueries;
import dev.conduit.trending.query.TrendingQueries.Kind;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * This instance's part of a ranking, for the other trending instances' scatter-gather; the window
 * is the asking instance's, so that all parts are of one window. The gateway does not route
 * {@code /internal}. With {@code key} it answers the scores of those keys whatever their rank.
 */
@Path("/internal/trending")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class InternalTrendingResource {

    private final TrendingQueries queries;

    public InternalTrendingResource(TrendingQueries queries) {
        this.queries = queries;
    }

    @GET
    @Path("articles")
    public List<Ranked> articles(@QueryParam("limit") String limit, @QueryParam("window") String window,
            @QueryParam("key") List<String> keys) {
        return local(Kind.ARTICLES, limit, window, keys);
    }

    @GET
    @Path("tags")
    public List<Ranked> tags(@QueryParam("limit") String limit, @QueryParam("window") String window,
            @QueryParam("key") List<String> keys) {
        return local(Kind.TAGS, limit, window, keys);
    }

    /** With {@code key} (repeatable, at most 100): those keys' scores on this instance, whatever their rank. */
    private List<Ranked> local(Kind kind, String limit, String window, List<String> keys) {
        long at = window == null ? queries.currentWindow() : Params.longValue("window", window);
        if (keys != null && !keys.isEmpty()) {
            if (keys.size() > TrendingResource.MAX_DEPTH || keys.stream().anyMatch(k -> k == null || k.isBlank())) {
                throw ApiException.invalid("key must be given 1 to " + TrendingResource.MAX_DEPTH + " times, never empty");
            }
            return queries.scores(kind, at, keys);
        }
        return queries.local(kind, at, Params.integer("limit", limit, 10, 1, TrendingResource.MAX_DEPTH));
    }
}

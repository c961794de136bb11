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
 * {@code /internal}.
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
    public List<Ranked> articles(@QueryParam("limit") String limit, @QueryParam("window") String window) {
        return local(Kind.ARTICLES, limit, window);
    }

    @GET
    @Path("tags")
    public List<Ranked> tags(@QueryParam("limit") String limit, @QueryParam("window") String window) {
        return local(Kind.TAGS, limit, window);
    }

    private List<Ranked> local(Kind kind, String limit, String window) {
        long at = window == null ? queries.currentWindow() : Params.longValue("window", window);
        return queries.local(kind, at, Params.integer("limit", limit, 10, 1, TrendingResource.MAX_DEPTH));
    }
}

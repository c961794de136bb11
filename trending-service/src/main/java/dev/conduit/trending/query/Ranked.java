package dev.conduit.trending.query;

/** One entry of a ranking: an article id or a tag, and its score in the window. */
public record Ranked(String key, double score) {
}

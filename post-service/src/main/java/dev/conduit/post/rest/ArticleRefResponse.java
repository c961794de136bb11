package dev.conduit.post.rest;

/** What other services may ask of an article by slug (internal, not routed by the gateway). */
public record ArticleRefResponse(String articleId, String slug, String authorId, long version) {
}

package dev.conduit.comment.client;

/** post-service's answer to "which article has this slug": ids and the article's aggregate version. */
public record ArticleRef(String articleId, String slug, String authorId, long version) {
}

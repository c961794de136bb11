package dev.conduit.post.rest;

import java.util.List;

/** {@code {"articles":[...],"articlesCount":n}}: the page, and the total that match. */
public record ArticleListResponse(List<ArticleResponse.Article> articles, long articlesCount) {
}

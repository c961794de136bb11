package dev.conduit.post.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** {@code {"article":{...}}}. */
public record ArticleResponse(Article article) {

    /** An article as its reader sees it; {@code body} is left out of list items (spec 1.1). */
    public record Article(String slug, String title, String description,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String body,
                          List<String> tagList, String createdAt, String updatedAt, boolean favorited, long favoritesCount,
                          Author author) {
    }

    public record Author(String username, String bio, String image, boolean following) {
    }
}

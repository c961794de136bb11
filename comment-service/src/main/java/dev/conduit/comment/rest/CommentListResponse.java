package dev.conduit.comment.rest;

import java.util.List;

/** {@code {"comments":[...]}}, oldest first. */
public record CommentListResponse(List<CommentResponse.Comment> comments) {
}

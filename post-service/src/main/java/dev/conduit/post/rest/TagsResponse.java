package dev.conduit.post.rest;

import java.util.List;

/** {@code {"tags":[...]}}. */
public record TagsResponse(List<String> tags) {
}

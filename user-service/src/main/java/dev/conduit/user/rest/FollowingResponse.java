package dev.conduit.user.rest;

import java.util.List;

/** {@code GET /internal/users/{id}/following}: whom the user follows, as of the account's {@code version}. */
public record FollowingResponse(String userId, List<String> following, long version) {
}

package dev.conduit.post.client;

import java.util.List;

/** user-service's answer to "whom does this user follow now", as of the account's {@code version}. */
public record Followees(String userId, List<String> following, long version) {
}

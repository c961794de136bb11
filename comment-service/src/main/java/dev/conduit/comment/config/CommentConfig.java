package dev.conduit.comment.config;

import io.smallrye.config.ConfigMapping;

/**
 * Everything comment-service reads from configuration (prefix {@code conduit.comment}). The outbox
 * timing is service-support's ({@code conduit.outbox.*}).
 */
@ConfigMapping(prefix = "conduit.comment")
public interface CommentConfig {
}

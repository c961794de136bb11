package dev.conduit.comment.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** {@code POST /articles/{slug}/comments}: {@code {"comment":{"body"}}}. */
public record NewCommentRequest(@NotNull(message = "is required") @Valid NewComment comment) {

    /** Long enough for any discussion, short enough that one comment cannot bloat a listing. */
    public static final int BODY_MAX = 10_000;

    public record NewComment(
            @NotBlank(message = "can't be blank")
            @Size(max = BODY_MAX, message = "is too long (maximum is {max} characters)")
            String body) {
    }
}

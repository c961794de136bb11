package dev.conduit.post.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/** {@code PUT /articles/{slug}}: a partial update; absent fields stay as they are. */
public record UpdateArticleRequest(@NotNull(message = "is required") @Valid Changes article) {

    public record Changes(
            @Pattern(regexp = "(?s).*\\S.*", message = "can't be blank")
            @Size(max = ArticleRules.TITLE_MAX, message = "is too long (maximum is {max} characters)") String title,
            @Pattern(regexp = "(?s).*\\S.*", message = "can't be blank")
            @Size(max = ArticleRules.DESCRIPTION_MAX, message = "is too long (maximum is {max} characters)") String description,
            @Pattern(regexp = "(?s).*\\S.*", message = "can't be blank")
            @Size(max = ArticleRules.BODY_MAX, message = "is too long (maximum is {max} characters)") String body,
            @Size(max = ArticleRules.TAGS_MAX, message = "has too many tags (maximum is {max})")
            List<@NotBlank(message = "can't contain a blank tag")
                 @Size(max = ArticleRules.TAG_MAX, message = "can't contain a tag longer than {max} characters") String> tagList) {
    }
}

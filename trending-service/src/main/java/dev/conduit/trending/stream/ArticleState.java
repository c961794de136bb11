package dev.conduit.trending.stream;

import java.util.List;

/**
 * What the topology keeps of one article: the last {@code conduit.posts} version applied (favorites
 * share the article's version sequence), its tags (which its scores also count for) and whether it
 * was deleted (then nothing counts for it any more).
 */
public record ArticleState(long version, List<String> tags, boolean deleted) {

    public static final ArticleState UNKNOWN = new ArticleState(0, List.of(), false);

    public ArticleState {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}

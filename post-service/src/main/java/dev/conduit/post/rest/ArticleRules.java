package dev.conduit.post.rest;

/** Limits on article input. */
final class ArticleRules {

    static final int TITLE_MAX = 200;
    static final int DESCRIPTION_MAX = 1000;
    static final int BODY_MAX = 100_000;
    static final int TAGS_MAX = 20;
    static final int TAG_MAX = 40;

    private ArticleRules() {
    }
}

package dev.conduit.post.rest;

import dev.conduit.post.ArticleDocument;
import dev.conduit.post.service.ArticleService;
import dev.conduit.support.json.Timestamps;

/** Article views to wire types. */
final class ArticleMapper {

    private ArticleMapper() {
    }

    static ArticleResponse toResponse(ArticleService.ArticleView view) {
        return new ArticleResponse(article(view, true));
    }

    /** One article as a list item shows it: without its body. */
    static ArticleResponse toListItem(ArticleService.ArticleView view) {
        return new ArticleResponse(article(view, false));
    }

    static ArticleListResponse toResponse(ArticleService.PageView page) {
        return new ArticleListResponse(page.articles().stream().map(v -> article(v, false)).toList(), page.total());
    }

    private static ArticleResponse.Article article(ArticleService.ArticleView view, boolean withBody) {
        ArticleDocument a = view.article();
        return new ArticleResponse.Article(a.slug, a.title, a.description, withBody ? a.body : null, a.tagList,
                Timestamps.format(a.createdAt), Timestamps.format(a.updatedAt), view.favorited(), a.favoritesCount,
                new ArticleResponse.Author(view.author().username(), view.author().bio(), view.author().image(), view.following()));
    }
}

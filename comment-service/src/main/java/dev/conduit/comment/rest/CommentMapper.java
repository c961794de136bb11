package dev.conduit.comment.rest;

import dev.conduit.comment.CommentDocument;
import dev.conduit.comment.service.CommentService.CommentView;
import dev.conduit.support.json.Timestamps;
import dev.conduit.readmodel.authors.AuthorDirectory;

import java.util.List;

/** Stored comments and their authors to wire types. */
final class CommentMapper {

    private CommentMapper() {
    }

    static CommentResponse toResponse(CommentView view) {
        return new CommentResponse(toComment(view));
    }

    static CommentListResponse toResponse(List<CommentView> views) {
        return new CommentListResponse(views.stream().map(CommentMapper::toComment).toList());
    }

    static CommentResponse.Comment toComment(CommentView view) {
        CommentDocument c = view.comment();
        AuthorDirectory.Author a = view.author();
        return new CommentResponse.Comment(c.id, Timestamps.format(c.createdAt), Timestamps.format(c.updatedAt), c.body,
                new CommentResponse.Author(a.username(), a.bio(), a.image(), view.following()));
    }
}

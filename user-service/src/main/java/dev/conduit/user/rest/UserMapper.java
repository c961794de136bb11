package dev.conduit.user.rest;

import dev.conduit.user.UserDocument;
import dev.conduit.user.service.UserService;

/** Stored account to wire types. */
final class UserMapper {

    private UserMapper() {
    }

    static UserResponse toResponse(UserDocument user, String token) {
        return new UserResponse(new UserResponse.User(user.email, token, user.username, user.bio, user.image));
    }

    static ProfileResponse toResponse(UserService.ProfileView view) {
        UserDocument user = view.user();
        return new ProfileResponse(new ProfileResponse.Profile(user.username, user.bio, user.image, view.following()));
    }
}

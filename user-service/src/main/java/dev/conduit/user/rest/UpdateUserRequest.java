package dev.conduit.user.rest;

import com.fasterxml.jackson.annotation.JsonSetter;
import dev.conduit.user.service.AccountChanges;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.HashSet;
import java.util.Set;

/**
 * {@code PUT /user}: a partial update. A field that is absent stays as it is; {@code bio} or
 * {@code image} sent as null or "" is cleared; email, username and password cannot be cleared.
 */
public record UpdateUserRequest(@NotNull(message = "is required") @Valid Changes user) {

    /** Mutable so that Jackson's setters can record which fields the client actually sent. */
    public static class Changes {
        private final Set<String> sent = new HashSet<>();

        @Size(min = 1, max = UserRules.EMAIL_MAX, message = "must be 1 to {max} characters long")
        @Email(regexp = UserRules.EMAIL_PATTERN, message = "is invalid")
        private String email;
        @Size(min = 1, max = UserRules.USERNAME_MAX, message = "must be 1 to {max} characters long")
        @Pattern(regexp = UserRules.USERNAME_PATTERN, message = UserRules.USERNAME_PATTERN_MESSAGE)
        private String username;
        @Size(min = UserRules.PASSWORD_MIN, max = UserRules.PASSWORD_MAX, message = "must be {min} to {max} characters long")
        private String password;
        @Size(max = UserRules.BIO_MAX, message = "is too long (maximum is {max} characters)")
        private String bio;
        @Size(max = UserRules.IMAGE_MAX, message = "is too long (maximum is {max} characters)")
        @Pattern(regexp = UserRules.IMAGE_PATTERN, message = "must be an http(s) URL")
        private String image;

        @JsonSetter("email")
        void email(String v) {
            sent.add("email");
            email = v;
        }

        @JsonSetter("username")
        void username(String v) {
            sent.add("username");
            username = v;
        }

        @JsonSetter("password")
        void password(String v) {
            sent.add("password");
            password = v;
        }

        @JsonSetter("bio")
        void bio(String v) {
            sent.add("bio");
            bio = v;
        }

        @JsonSetter("image")
        void image(String v) {
            sent.add("image");
            image = v;
        }

        public boolean sent(String field) {
            return sent.contains(field);
        }

        /** What the service takes: the fields sent and their values. */
        public AccountChanges toCommand() {
            return new AccountChanges(sent, email, username, password, bio, image);
        }

        public String email() {
            return email;
        }

        public String username() {
            return username;
        }

        public String password() {
            return password;
        }

        public String bio() {
            return bio;
        }

        public String image() {
            return image;
        }
    }
}

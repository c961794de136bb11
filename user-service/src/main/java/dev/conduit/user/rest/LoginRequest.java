package dev.conduit.user.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** {@code POST /users/login}: {@code {"user":{"email","password"}}}. */
public record LoginRequest(@NotNull(message = "is required") @Valid Credentials user) {

    public record Credentials(
            @NotBlank(message = "can't be blank") @Size(max = UserRules.EMAIL_MAX, message = "is too long") String email,
            @NotBlank(message = "can't be blank") @Size(max = 1024, message = "is too long") String password) {
    }
}

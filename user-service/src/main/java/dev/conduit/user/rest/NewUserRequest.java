package dev.conduit.user.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /users}: {@code {"user":{"username","email","password"}}}. */
public record NewUserRequest(@NotNull(message = "is required") @Valid NewUser user) {

    public record NewUser(
            @NotBlank(message = "can't be blank")
            @Size(max = UserRules.USERNAME_MAX, message = "is too long (maximum is {max} characters)")
            @Pattern(regexp = UserRules.USERNAME_PATTERN, message = UserRules.USERNAME_PATTERN_MESSAGE)
            String username,
            @NotBlank(message = "can't be blank")
            @Size(max = UserRules.EMAIL_MAX, message = "is too long (maximum is {max} characters)")
            @Email(regexp = UserRules.EMAIL_PATTERN, message = "is invalid")
            String email,
            @NotBlank(message = "can't be blank")
            @Size(min = UserRules.PASSWORD_MIN, max = UserRules.PASSWORD_MAX,
                    message = "must be {min} to {max} characters long")
            String password) {
    }
}

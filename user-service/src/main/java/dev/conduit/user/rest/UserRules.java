package dev.conduit.user.rest;

/** Limits on user input, shared by the request types. */
final class UserRules {

    static final int USERNAME_MAX = 40;
    /**
     * Usernames are one path segment ({@code /profiles/{username}}): letters (any script), digits,
     * '_', '-' and '.', but not "." or "..", which a client or proxy resolves as a relative path.
     * Everything else ('/', '%', '?', '#', '\', whitespace, control characters) is refused.
     */
    static final String USERNAME_PATTERN = "^(?!\\.{1,2}$)[\\p{L}\\p{M}\\p{N}_.-]*$";
    static final String USERNAME_PATTERN_MESSAGE = "may contain only letters, digits, '_', '-' and '.', and may not be '.' or '..'";
    static final int EMAIL_MAX = 254;
    /** local@domain.tld, no spaces: stricter than the bare {@code @Email}, which accepts "a@b". */
    static final String EMAIL_PATTERN = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";
    static final int PASSWORD_MIN = 8;
    /** bcrypt reads at most 72 bytes; a longer password would be silently cut. */
    static final int PASSWORD_MAX = 72;
    static final int BIO_MAX = 1000;
    static final int IMAGE_MAX = 2048;
    static final String IMAGE_PATTERN = "^(|https?://\\S+)$";

    private UserRules() {
    }
}

package dev.conduit.support.error;

import java.util.List;

/** A failure the caller caused or may see, with its HTTP status and the messages for the envelope. */
public class ApiException extends RuntimeException {

    private final int status;
    private final List<String> messages;

    public ApiException(int status, List<String> messages) {
        super(String.join("; ", messages), null, false, false);
        this.status = status;
        this.messages = List.copyOf(messages);
    }

    public ApiException(int status, String message) {
        this(status, List.of(message));
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, message);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, what + " not found");
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }

    /** 422: input that is well-formed JSON but breaks a rule. */
    public static ApiException invalid(String message) {
        return new ApiException(422, message);
    }

    public int status() {
        return status;
    }

    public List<String> messages() {
        return messages;
    }
}

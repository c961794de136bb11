package dev.conduit.trending.rest;

/** A failure with its HTTP status, answered in the RealWorld error envelope. */
public class ApiException extends RuntimeException {

    private final int status;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String message) {
        this(status, message, null);
    }

    private ApiException(int status, String message, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException invalid(String message) {
        return new ApiException(422, message);
    }

    public static ApiException unavailable(String message, int retryAfterSeconds) {
        return new ApiException(503, message, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

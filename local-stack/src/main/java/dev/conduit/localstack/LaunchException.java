package dev.conduit.localstack;

/** A failure whose message is the one clear line a user reads; never shown with a stack trace. */
public class LaunchException extends RuntimeException {

    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}

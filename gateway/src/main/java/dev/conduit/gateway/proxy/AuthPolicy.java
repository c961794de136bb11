package dev.conduit.gateway.proxy;

/** What a route asks of the caller's token. */
public enum AuthPolicy {
    /** A valid token is required. */
    REQUIRED,
    /** No token is needed; one that is sent must be valid. */
    OPTIONAL,
    /**
     * The token is not looked at: registration and login must work even when a front end still
     * sends a stale token it kept from an earlier session.
     */
    IGNORED
}

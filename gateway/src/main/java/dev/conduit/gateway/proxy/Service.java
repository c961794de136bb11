package dev.conduit.gateway.proxy;

/**
 * The services behind the gateway, and the prefix each serves the public paths under: the first
 * three serve {@code /articles} for the public {@code /api/articles}; trending-service serves its
 * routes under their public paths ({@code /api/trending/...}), so they are forwarded with the prefix.
 */
public enum Service {
    USER("user-service", ""),
    POST("post-service", ""),
    COMMENT("comment-service", ""),
    TRENDING("trending-service", "/api");

    private final String serviceName;
    private final String pathPrefix;

    Service(String serviceName, String pathPrefix) {
        this.serviceName = serviceName;
        this.pathPrefix = pathPrefix;
    }

    public String serviceName() {
        return serviceName;
    }

    /** Put before the path below {@code /api} when the request is forwarded. */
    public String pathPrefix() {
        return pathPrefix;
    }
}

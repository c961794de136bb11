package dev.conduit.gateway.proxy;

/** The services behind the gateway. */
public enum Service {
    USER("user-service"),
    POST("post-service"),
    COMMENT("comment-service"),
    TRENDING("trending-service");

    private final String serviceName;

    Service(String serviceName) {
        this.serviceName = serviceName;
    }

    public String serviceName() {
        return serviceName;
    }
}

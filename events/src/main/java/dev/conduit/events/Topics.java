package dev.conduit.events;

/** Topic names of the event contract: one topic per owning service, keyed by aggregate id. */
public final class Topics {

    /** Events of user accounts, profiles and follows; owned by user-service. */
    public static final String USERS = "conduit.users";
    /** Events of articles and favorites; owned by post-service. */
    public static final String POSTS = "conduit.posts";
    /** Events of comments; owned by comment-service. */
    public static final String COMMENTS = "conduit.comments";

    /** Dead-letter topic of a consuming service: where events it cannot apply are parked. */
    public static String deadLetter(String consumingService) {
        return "conduit.dlq." + consumingService;
    }

    private Topics() {
    }
}

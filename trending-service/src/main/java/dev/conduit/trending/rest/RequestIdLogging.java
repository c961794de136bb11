package dev.conduit.trending.rest;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

/**
 * The gateway's {@code X-Request-Id} in the MDC ({@code requestId}) of every request, as
 * service-support's {@code RequestIdLogging} does for the other services (not a dependency here): every
 * log line of the request carries it, and the calls to post-service and the other instances pass it
 * on. An id that is not sane is left out.
 */
@ApplicationScoped
public class RequestIdLogging {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final int MAX_LENGTH = 128;
    /** Before Quarkus' own filters and every route: lines written by them carry the id too. */
    private static final int PRIORITY = 10_000;

    void install(@Observes Filters filters) {
        filters.register(ctx -> {
            String id = ctx.request().getHeader(HEADER);
            if (id != null && isSane(id)) {
                MDC.put(MDC_KEY, id);
            }
            ctx.next();
        }, PRIORITY);
    }

    /** The id of the request being served, or null. */
    public static String current() {
        Object id = MDC.get(MDC_KEY);
        return id == null ? null : id.toString();
    }

    /** What the gateway accepts from a caller: {@code [A-Za-z0-9._:/+=-]{1,128}}. */
    static boolean isSane(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '/' || c == '+' || c == '=' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

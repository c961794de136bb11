package dev.conduit.localstack.testing;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The public OpenAPI document ({@code gateway/src/main/resources/META-INF/openapi.yaml}) as the one
 * source of the auth policy: which operation needs a token (it has {@code security}) and the one
 * 401 message ({@code x-conduit-unauthorized-message}). Tests check the gateway's route table and
 * each service's JAX-RS resources against it, so the three cannot drift apart.
 */
public final class PublicContract {

    static final Path DOCUMENT = Path.of("gateway/src/main/resources/META-INF/openapi.yaml");
    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    private static final String AUTHENTICATED = "io.quarkus.security.Authenticated";

    /** One operation: method and path below {@code /api}, e.g. {@code GET /articles/{slug}}. */
    public record Operation(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private final Map<Operation, Boolean> tokenRequired;
    private final String unauthorizedMessage;

    PublicContract(String yaml) {
        Map<String, Object> doc = new Yaml(new LoaderOptions()).load(yaml);
        Map<Operation, Boolean> ops = new LinkedHashMap<>();
        map(doc.get("paths")).forEach((path, item) -> map(item).forEach((method, op) -> {
            if (HTTP_METHODS.contains(method.toUpperCase(Locale.ROOT))) {
                Object security = map(op).get("security");
                boolean required = security instanceof List<?> list && !list.isEmpty()
                        && list.stream().noneMatch(s -> s instanceof Map<?, ?> m && m.isEmpty());
                ops.put(new Operation(method.toUpperCase(Locale.ROOT), path), required);
            }
        }));
        this.tokenRequired = Map.copyOf(ops);
        this.unauthorizedMessage = (String) doc.get("x-conduit-unauthorized-message");
    }

    /** The document of this repository, found from the working directory (a module or the root). */
    public static PublicContract load() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve(DOCUMENT);
            if (Files.isRegularFile(file)) {
                try {
                    return new PublicContract(Files.readString(file));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no " + DOCUMENT + " above " + Path.of("").toAbsolutePath());
    }

    /** Every public operation and whether it needs a token. */
    public Map<Operation, Boolean> tokenRequired() {
        return tokenRequired;
    }

    /** The message every 401 carries. */
    public String unauthorizedMessage() {
        return unauthorizedMessage;
    }

    /**
     * Where JAX-RS resources disagree with the document: an operation that needs a token must be
     * {@code @Authenticated} (on the method or the class), one that does not must not be; a path
     * the document does not have must be internal ({@code /internal/...}, never routed by the gateway).
     */
    public List<String> mismatches(Class<?>... resources) {
        List<String> out = new ArrayList<>();
        for (Class<?> resource : resources) {
            String base = pathOf(resource.getAnnotations());
            boolean classAuthenticated = has(resource.getAnnotations(), AUTHENTICATED);
            for (Method m : resource.getDeclaredMethods()) {
                String verb = httpMethod(m);
                if (verb == null) {
                    continue;
                }
                Operation op = new Operation(verb, join(base, pathOf(m.getAnnotations())));
                boolean authenticated = classAuthenticated || has(m.getAnnotations(), AUTHENTICATED);
                Boolean required = tokenRequired.get(op);
                String where = resource.getSimpleName() + "." + m.getName() + " (" + op + ")";
                if (required == null) {
                    if (!op.path().startsWith("/internal/")) {
                        out.add(where + ": not an operation of the public document, and not under /internal/");
                    }
                } else if (required && !authenticated) {
                    out.add(where + ": the document requires a token; the method is not @Authenticated");
                } else if (!required && authenticated) {
                    out.add(where + ": the document needs no token; the method is @Authenticated");
                }
            }
        }
        return out;
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            String name = a.annotationType().getName();
            if (name.startsWith("jakarta.ws.rs.") && HTTP_METHODS.contains(a.annotationType().getSimpleName())) {
                return a.annotationType().getSimpleName();
            }
        }
        return null;
    }

    private static String pathOf(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a.annotationType().getName().equals("jakarta.ws.rs.Path")) {
                try {
                    return (String) a.annotationType().getMethod("value").invoke(a);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return "";
    }

    private static boolean has(Annotation[] annotations, String type) {
        for (Annotation a : annotations) {
            if (a.annotationType().getName().equals(type)) {
                return true;
            }
        }
        return false;
    }

    /** Joins JAX-RS path pieces; a template's regular expression ({@code {id: \d+}}) is dropped. */
    static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.replaceAll("\\{\\s*([A-Za-z0-9_]+)\\s*:[^}]*}", "{$1}");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}

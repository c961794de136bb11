package dev.conduit.k8s;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/** Each service's Dockerfile.jvm and Dockerfile.native: pinned bases, non-root, the right port. */
class DockerfileTest {

    private static final Pattern ARG = Pattern.compile("^ARG\\s+([A-Za-z_][A-Za-z0-9_]*)=(\\S+)\\s*$");
    private static final Pattern FROM = Pattern.compile("^FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");

    @TestFactory
    Stream<DynamicTest> dockerfilesAreMinimalPinnedAndNonRoot() {
        return ServiceContract.table().values().stream().flatMap(row -> Stream.of("Dockerfile.jvm", "Dockerfile.native")
                .map(name -> DynamicTest.dynamicTest(row.service() + "/" + name, () -> {
                    Path file = Kustomize.REPO.resolve(row.service()).resolve("src/main/docker").resolve(name);
                    List<String> problems = Files.isRegularFile(file)
                            ? check(Files.readAllLines(file), row.port(), name.endsWith(".native"))
                            : List.of("is missing");
                    if (!problems.isEmpty()) {
                        fail(Kustomize.REPO.relativize(file) + ":\n  " + String.join("\n  ", problems));
                    }
                })));
    }

    static List<String> check(List<String> lines, int port, boolean nativeImage) {
        List<String> problems = new ArrayList<>();
        Map<String, String> args = new HashMap<>();
        List<String> stages = new ArrayList<>();
        String user = null;
        boolean exposes = false;
        boolean entrypoint = false;
        boolean copiesNativeSources = false;
        for (String raw : lines) {
            String line = raw.strip();
            Matcher arg = ARG.matcher(line);
            if (arg.matches()) {
                args.putIfAbsent(arg.group(1), arg.group(2));
            }
            Matcher from = FROM.matcher(line);
            if (from.matches()) {
                String image = substitute(from.group(1), args);
                if (!stages.contains(image)) {
                    String problem = Policies.imageProblem(image);
                    if (problem != null) {
                        problems.add("base image '" + image + "' " + problem);
                    }
                }
                if (from.group(2) != null) {
                    stages.add(from.group(2));
                }
                user = null;
                exposes = false;
                entrypoint = false;
            }
            if (line.startsWith("USER ")) {
                user = line.substring(5).strip();
            }
            if (line.startsWith("EXPOSE ") && List.of(line.substring(7).split("\\s+")).contains(String.valueOf(port))) {
                exposes = true;
            }
            if (line.startsWith("ENTRYPOINT ") || line.startsWith("CMD ")) {
                entrypoint = true;
            }
            if (line.startsWith("COPY ") && line.contains("target/native-sources")) {
                copiesNativeSources = true;
            }
        }
        if (user == null || !user.matches("\\d+(:\\d+)?") || user.startsWith("0")) {
            problems.add("the final stage must switch to a numeric non-root USER (Kubernetes' runAsNonRoot cannot verify a name), has "
                    + (user == null ? "none" : user));
        }
        if (!exposes) {
            problems.add("the final stage does not EXPOSE the service's port " + port);
        }
        if (!entrypoint) {
            problems.add("the final stage has no ENTRYPOINT");
        }
        if (nativeImage && !copiesNativeSources) {
            problems.add("does not build from target/native-sources (what the native-sources check proves)");
        }
        return problems;
    }

    private static String substitute(String text, Map<String, String> args) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }
}

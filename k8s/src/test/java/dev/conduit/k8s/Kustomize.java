package dev.conduit.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/** Renders Kustomize directories with {@code kubectl kustomize}, once per directory and test run. */
final class Kustomize {

    /** The k8s/ folder (Maven runs tests in the module's directory). */
    static final Path K8S = Path.of(System.getProperty("kustomize.k8s.dir", System.getProperty("basedir", "."))).toAbsolutePath().normalize();
    /** The repository root, where the services' sources are read from. */
    static final Path REPO = K8S.getParent();

    private static final Map<Path, String> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** Every deployable unit: the base alone and each overlay. */
    static List<String> targets() {
        List<String> targets = new ArrayList<>();
        targets.add("base");
        try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
            overlays.filter(dir -> Files.isRegularFile(dir.resolve("kustomization.yaml")))
                    .map(dir -> "overlays/" + dir.getFileName())
                    .sorted()
                    .forEach(targets::add);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + K8S.resolve("overlays"), e);
        }
        return targets;
    }

    /** The overlays only: what is actually applied to a cluster. */
    static List<String> overlays() {
        return targets().stream().filter(t -> t.startsWith("overlays/")).toList();
    }

    static String render(String target) {
        return RENDERED.computeIfAbsent(K8S.resolve(target), Kustomize::run);
    }

    static Manifests manifests(String target) {
        return Manifests.parse(target, render(target));
    }

    private static String run(Path dir) {
        String kubectl = kubectl();
        try {
            Path err = Files.createTempFile("kustomize", ".err");
            Process p = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                    .redirectError(err.toFile())
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("kubectl kustomize " + K8S.relativize(dir) + " did not finish within 2 minutes");
            }
            String stderr = Files.readString(err);
            Files.deleteIfExists(err);
            if (p.exitValue() != 0) {
                fail("kubectl kustomize " + K8S.relativize(dir) + " failed (exit " + p.exitValue() + "):\n" + stderr);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + kubectl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** kubectl from $KUBECTL, else the PATH; a clear failure where there is none. */
    static String kubectl() {
        String configured = System.getenv("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            if (!Files.isExecutable(Path.of(configured))) {
                fail("KUBECTL=" + configured + " is not an executable file");
            }
            return configured;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        fail("kubectl not found on the PATH: the k8s checks render the manifests with `kubectl kustomize`"
                + " (kubectl 1.27 or newer, Kustomize 5). Install kubectl, or set KUBECTL=/path/to/kubectl.");
        return null;
    }
}

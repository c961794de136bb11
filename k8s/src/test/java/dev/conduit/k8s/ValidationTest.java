package dev.conduit.k8s;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every target renders, and every rendered object is a known kind, well-typed, with no unknown field. */
class ValidationTest {

    @TestFactory
    Stream<DynamicTest> everyTargetRendersAndValidatesStrictly() {
        return Kustomize.targets().stream().map(target -> DynamicTest.dynamicTest(target, () -> {
            Manifests manifests = Kustomize.manifests(target);
            if (!manifests.problems.isEmpty()) {
                fail(target + ": " + manifests.problems.size() + " invalid object(s):\n  "
                        + String.join("\n  ", manifests.problems));
            }
            assertTrue(manifests.all.size() > 10, target + " renders only " + manifests.all.size() + " objects");
        }));
    }
}

package dev.conduit.infra;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** infra/terraform parses as HCL and follows the rules of {@link TerraformChecks}. */
class TerraformTest {

    @TestFactory
    Stream<DynamicTest> theClusterModuleFollowsTheRules() {
        Terraform tf = Terraform.load(Terraform.MODULE);
        return Stream.of(
                check(tf, "required_version is set and bounded", TerraformChecks::requiredVersion),
                check(tf, "every provider has a source and a pinned version, and every provider used is declared", TerraformChecks::pinnedProviders),
                check(tf, "every variable has a type and a description", TerraformChecks::typedVariables),
                check(tf, "no variable that looks secret has a default", TerraformChecks::noSecretDefaults),
                check(tf, "no literal secret in any file", TerraformChecks::noLiteralSecrets),
                check(tf, "every Helm release pins its chart version", TerraformChecks::pinnedHelmReleases),
                check(tf, "the state is remote and locked, its bucket given at init", TerraformChecks::remoteBackend),
                check(tf, "tflint plugins are pinned", TerraformChecks::pinnedLintPlugins));
    }

    /** The checks pass only if they saw the module: a parse that yielded nothing would pass them all. */
    @Test
    void theParserSeesTheWholeModule() {
        Terraform tf = Terraform.load(Terraform.MODULE);
        assertEquals(List.of("google", "helm", "kustomization"),
                tf.settings().stream().flatMap(b -> Terraform.map(b.get("required_providers")).keySet().stream()).sorted().toList());
        assertEquals(List.of("helm_release.ingress_nginx", "helm_release.strimzi"),
                tf.twoLabelBlocks("resource").stream().map(Terraform.Block::label).filter(l -> l.startsWith("helm_release.")).sorted().toList());
        assertTrue(tf.twoLabelBlocks("resource").stream().anyMatch(b -> b.label().equals("google_container_node_pool.platform")));
        assertTrue(tf.blocks("variable").size() >= 10, "variables: " + tf.blocks("variable").keySet());
        assertTrue(tf.otherFiles().stream().anyMatch(f -> f.name().endsWith(".tflint.hcl")), "no .tflint.hcl next to the module");
    }

    static DynamicTest check(Terraform tf, String rule, Function<Terraform, List<String>> check) {
        return DynamicTest.dynamicTest(rule, () -> {
            List<String> violations = check.apply(tf);
            if (!violations.isEmpty()) {
                fail("[infra/terraform] " + rule + ": " + violations.size() + " violation(s)\n  " + String.join("\n  ", violations));
            }
        });
    }
}

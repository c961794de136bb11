package dev.conduit.infra;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks themselves: a small module that passes every check, and for each check a broken copy
 * of it that must fail, naming what is wrong. A check that cannot fail would show up here.
 */
class TerraformCheckSelfTest {

    static final String VERSIONS = """
            terraform {
              required_version = "~> 1.11"
              required_providers {
                google = {
                  source  = "hashicorp/google"
                  version = "= 7.45.0"
                }
                helm = {
                  source  = "hashicorp/helm"
                  version = "~> 3.1.2"
                }
              }
              backend "gcs" {}
            }
            """;

    static final String VARIABLES = """
            variable "project_id" {
              type        = string
              description = "The project."
            }

            variable "chart_version" {
              type        = string
              description = "The chart."
              default     = "1.2.3"
            }

            variable "admin_password" {
              type        = string
              description = "Given at apply time, never stored here."
              sensitive   = true
            }
            """;

    static final String MAIN = """
            provider "google" {
              project = var.project_id
            }

            resource "google_compute_network" "net" {
              name = "conduit"
            }

            resource "helm_release" "direct" {
              name    = "direct"
              chart   = "direct"
              version = "4.12.8"
            }

            resource "helm_release" "by_variable" {
              name    = "by-variable"
              chart   = "by-variable"
              version = var.chart_version
            }
            """;

    static final String TFLINT = """
            plugin "google" {
              enabled = true
              version = "0.39.0"
              source  = "github.com/terraform-linters/tflint-ruleset-google"
            }
            """;

    static Terraform module(Map<String, String> replace) {
        String[] files = {"versions.tf", VERSIONS, "variables.tf", VARIABLES, "main.tf", MAIN, ".tflint.hcl", TFLINT};
        for (int i = 1; i < files.length; i += 2) {
            for (var r : replace.entrySet()) {
                files[i] = files[i].replace(r.getKey(), r.getValue());
            }
        }
        return Terraform.of(files);
    }

    static void fails(Function<Terraform, List<String>> check, Map<String, String> breakage, String expected) {
        List<String> violations = check.apply(module(breakage));
        assertTrue(violations.stream().anyMatch(v -> v.contains(expected)),
                "expected a violation containing \"" + expected + "\", got " + violations);
    }

    @Test
    void theGoodSamplePassesEveryCheck() {
        Terraform good = module(Map.of());
        for (Function<Terraform, List<String>> check : List.<Function<Terraform, List<String>>>of(
                TerraformChecks::requiredVersion, TerraformChecks::pinnedProviders, TerraformChecks::typedVariables,
                TerraformChecks::noSecretDefaults, TerraformChecks::noLiteralSecrets, TerraformChecks::pinnedHelmReleases,
                TerraformChecks::remoteBackend, TerraformChecks::pinnedLintPlugins)) {
            assertEquals(List.of(), check.apply(good));
        }
    }

    @Test
    void requiredVersionMissingOrOpenEnded() {
        fails(TerraformChecks::requiredVersion, Map.of("required_version = \"~> 1.11\"", ""), "no terraform { required_version }");
        fails(TerraformChecks::requiredVersion, Map.of("\"~> 1.11\"", "\">= 1.0\""), "has no upper bound");
    }

    @Test
    void providerWithoutVersionOrSourceOrWithARange() {
        fails(TerraformChecks::pinnedProviders, Map.of("      version = \"= 7.45.0\"\n", ""), "provider google has no version");
        fails(TerraformChecks::pinnedProviders, Map.of("\"= 7.45.0\"", "\">= 7.0\""), "provider google version \">= 7.0\" is not pinned");
        fails(TerraformChecks::pinnedProviders, Map.of("\"~> 3.1.2\"", "\"~> 3.1\""), "provider helm version \"~> 3.1\" is not pinned");
        fails(TerraformChecks::pinnedProviders, Map.of("      source  = \"hashicorp/google\"\n", ""), "provider google has no source");
    }

    @Test
    void providerUsedButNotDeclared() {
        fails(TerraformChecks::pinnedProviders, Map.of("resource \"google_compute_network\" \"net\"", "resource \"random_password\" \"net\""),
                "provider random is used but not in required_providers");
    }

    @Test
    void variableWithoutTypeOrDescription() {
        fails(TerraformChecks::typedVariables, Map.of("  type        = string\n  description = \"The project.\"\n", "  description = \"The project.\"\n"),
                "variable project_id has no type");
        fails(TerraformChecks::typedVariables, Map.of("  description = \"The chart.\"\n", ""), "variable chart_version has no description");
    }

    @Test
    void secretVariableWithADefaultOrNotSensitive() {
        fails(TerraformChecks::noSecretDefaults, Map.of("  sensitive   = true\n", "  sensitive   = true\n  default     = \"hunter2\"\n"),
                "variable admin_password looks secret and has a default value");
        fails(TerraformChecks::noSecretDefaults, Map.of("  sensitive   = true\n", ""), "variable admin_password looks secret and is not sensitive");
        fails(TerraformChecks::noSecretDefaults, Map.of("variable \"chart_version\"", "variable \"api_token\""), "variable api_token looks secret and has a default value");
    }

    @Test
    void literalSecretsInAnyFile() {
        fails(TerraformChecks::noLiteralSecrets, Map.of("  project = var.project_id\n", "  project = var.project_id\n  access_token = \"ya29.abcdef\"\n"),
                "main.tf:3: access_token is given a literal string");
        fails(TerraformChecks::noLiteralSecrets, Map.of("  name = \"conduit\"\n", "  name = \"" + generatedPrivateKeyPem().lines().findFirst().orElseThrow() + "\"\n"),
                "main.tf:6: looks like a secret");
        fails(TerraformChecks::noLiteralSecrets, Map.of("  enabled = true\n", "  enabled = true\n  token = \"ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\"\n"),
                ".tflint.hcl:3: looks like a secret");
    }

    @Test
    void helmReleaseWithoutAnExactVersion() {
        fails(TerraformChecks::pinnedHelmReleases, Map.of("  version = \"4.12.8\"\n", ""), "helm_release.direct has no chart version");
        fails(TerraformChecks::pinnedHelmReleases, Map.of("\"4.12.8\"", "\"~> 4.12\""), "helm_release.direct version \"~> 4.12\" is not an exact chart version");
        fails(TerraformChecks::pinnedHelmReleases, Map.of("  default     = \"1.2.3\"\n", ""), "helm_release.by_variable version var.chart_version has no exact default");
    }

    @Test
    void backendLocalMissingOrHardCoded() {
        fails(TerraformChecks::remoteBackend, Map.of("backend \"gcs\" {}", "backend \"gcs\" {\n    bucket = \"my-state\"\n  }"),
                "backend \"gcs\" hard-codes bucket");
        fails(TerraformChecks::remoteBackend, Map.of("backend \"gcs\" {}", "backend \"local\" {}"), "backend \"local\" keeps the state on one machine");
        fails(TerraformChecks::remoteBackend, Map.of("backend \"gcs\" {}", ""), "no backend block");
    }

    @Test
    void lintPluginWithoutVersion() {
        fails(TerraformChecks::pinnedLintPlugins, Map.of("  version = \"0.39.0\"\n", ""), "tflint plugin google has no exact version");
    }

    @Test
    void versionsThatDisagreeWithTheKindJob() {
        Terraform tf = Terraform.of("variables.tf", """
                variable "strimzi_version" {
                  type        = string
                  description = "Strimzi."
                  default     = "0.49.1"
                }

                variable "ingress_nginx_chart_version" {
                  type        = string
                  description = "ingress-nginx."
                  default     = "4.12.8"
                }
                """);
        String pom = "<strimzi.version>0.49.1</strimzi.version>";
        assertEquals(List.of(), VersionsTest.agree(tf, Map.of("STRIMZI_VERSION", "0.49.1", "INGRESS_NGINX_VERSION", "1.12.8"), pom));
        assertTrue(VersionsTest.agree(tf, Map.of("STRIMZI_VERSION", "0.48.0", "INGRESS_NGINX_VERSION", "1.12.8"), pom).get(0).startsWith("Strimzi"));
        assertTrue(VersionsTest.agree(tf, Map.of("STRIMZI_VERSION", "0.49.1", "INGRESS_NGINX_VERSION", "1.12.8"), "<strimzi.version>0.50.0</strimzi.version>")
                .get(0).startsWith("Strimzi"));
        assertTrue(VersionsTest.agree(tf, Map.of("STRIMZI_VERSION", "0.49.1", "INGRESS_NGINX_VERSION", "1.13.0"), pom).get(0).startsWith("ingress-nginx"));
    }

    @Test
    void aFileThatIsNotHclFailsToLoad() {
        // hcl4j is lenient about braces (terraform fmt -check in CI is strict); it refuses broken tokens
        try {
            Terraform.of("main.tf", "resource \"x\" \"y\" {\n  name = \"unterminated\n}\n");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("main.tf does not parse as HCL"), e.getMessage());
            return;
        }
        throw new AssertionError("an unterminated string parsed");
    }

    /** A private key made for this test run, as PEM: no key is ever written into the repository. */
    private static String generatedPrivateKeyPem() {
        try {
            java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            String label = "PRIVATE KEY";
            return "-----BEGIN " + label + "-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                            .encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END " + label + "-----\n";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.conduit.infra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cluster runs the add-on versions the kind job proves, and the Strimzi API k8s/ validates against. */
class VersionsTest {

    static final Path E2E_VERSIONS = Terraform.REPO.resolve("k8s/e2e/versions.env");
    static final Path K8S_POM = Terraform.REPO.resolve("k8s/pom.xml");

    @Test
    void terraformInstallsWhatTheKindJobProves() throws IOException {
        List<String> violations = agree(Terraform.load(Terraform.MODULE), env(Files.readString(E2E_VERSIONS)), Files.readString(K8S_POM));
        assertEquals(List.of(), violations);
    }

    /** Disagreements between the Terraform defaults, versions.env and k8s/pom.xml's strimzi.version. */
    static List<String> agree(Terraform tf, Map<String, String> e2e, String k8sPom) {
        List<String> out = new ArrayList<>();
        String strimzi = TerraformChecks.defaultOf(tf, "strimzi_version");
        Matcher pom = Pattern.compile("<strimzi\\.version>([^<]+)</strimzi\\.version>").matcher(k8sPom);
        String pomStrimzi = pom.find() ? pom.group(1) : null;
        if (strimzi == null || !strimzi.equals(e2e.get("STRIMZI_VERSION")) || !strimzi.equals(pomStrimzi)) {
            out.add("Strimzi: terraform " + strimzi + ", versions.env " + e2e.get("STRIMZI_VERSION") + ", k8s/pom.xml " + pomStrimzi);
        }
        // ingress-nginx charts 4.x.y carry controller 1.x.y
        String chart = TerraformChecks.defaultOf(tf, "ingress_nginx_chart_version");
        String controller = e2e.get("INGRESS_NGINX_VERSION");
        if (chart == null || controller == null || !chart.startsWith("4.") || !chart.substring(2).equals(controller.replaceFirst("^1\\.", ""))) {
            out.add("ingress-nginx: terraform chart " + chart + " does not carry controller " + controller + " (versions.env)");
        }
        return out;
    }

    /** KEY=value lines of a shell env file, comments skipped. */
    static Map<String, String> env(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.trim();
            int eq = l.indexOf('=');
            if (!l.isEmpty() && !l.startsWith("#") && eq > 0) {
                out.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return out;
    }
}

package dev.conduit.infra;

import dev.conduit.infra.Terraform.Block;
import dev.conduit.infra.Terraform.TfFile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules a Terraform module of this repository follows. Each returns its violations, naming the
 * file and block; an empty list means the module passes.
 */
final class TerraformChecks {

    /** An exact version, optionally with `=`, or `~>` on a full version: patch releases at most. */
    static final Pattern PINNED = Pattern.compile("^\\s*(=\\s*|~>\\s*)?\\d+\\.\\d+\\.\\d+\\s*$");
    static final Pattern EXACT = Pattern.compile("^\\d+\\.\\d+\\.\\d+$");
    /** namespace/type, optionally behind a registry host */
    static final Pattern SOURCE = Pattern.compile("^([a-z0-9.-]+/)?[a-z0-9-]+/[a-z0-9-]+$", Pattern.CASE_INSENSITIVE);
    /** Names of variables and attributes that hold secrets. */
    static final Pattern SECRET_NAME = Pattern.compile(
            "(password|passwd|secret|token|credential|private_key|api_key|access_key|(^|_)key$)", Pattern.CASE_INSENSITIVE);
    /** Where a backend would be told where its state is, which belongs in -backend-config. */
    static final Set<String> BACKEND_LOCATION = Set.of("bucket", "prefix", "key", "path", "dynamodb_table",
            "storage_account_name", "container_name", "resource_group_name", "organization", "credentials",
            "access_key", "secret_key", "encryption_key");
    static final Set<String> REMOTE_BACKENDS = Set.of("gcs", "s3", "azurerm", "remote", "http", "consul", "pg", "kubernetes", "oss", "cos");

    /** Text that is a secret whatever it is assigned to. */
    private static final List<Pattern> SECRET_TEXT = List.of(
            Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"),
            Pattern.compile("\\bAKIA[0-9A-Z]{16}\\b"),
            Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b"),
            Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{36,}\\b"),
            Pattern.compile("\"type\"\\s*[:=]\\s*\"service_account\""));
    /** `password = "literal"`: a secret-named attribute given a literal string (no interpolation). */
    private static final Pattern LITERAL_ASSIGNMENT = Pattern.compile("^\\s*([A-Za-z0-9_-]+)\\s*=\\s*\"([^\"]*)\"", Pattern.MULTILINE);

    private TerraformChecks() {
    }

    /** `terraform { required_version }` is set and bounded above (`~>`, `=`, or a `<` bound). */
    static List<String> requiredVersion(Terraform tf) {
        List<String> out = new ArrayList<>();
        List<Block> settings = tf.settings();
        boolean set = false;
        for (Block b : settings) {
            Object v = b.get("required_version");
            if (v == null) {
                continue;
            }
            set = true;
            String c = v.toString();
            if (!(c.contains("~>") || c.contains("<") || c.trim().startsWith("=") || EXACT.matcher(c.trim()).matches())) {
                out.add(b.file() + ": required_version \"" + c + "\" has no upper bound; use ~> or a < bound");
            }
        }
        if (!set) {
            out.add("no terraform { required_version } in any file");
        }
        return out;
    }

    /**
     * Every provider in required_providers has a source and a version pinned to one release (or its
     * patches), and every provider the module uses (resources, data sources, provider blocks) is declared.
     */
    static List<String> pinnedProviders(Terraform tf) {
        List<String> out = new ArrayList<>();
        Set<String> declared = new TreeSet<>();
        for (Block b : tf.settings()) {
            Terraform.map(b.get("required_providers")).forEach((name, spec) -> {
                declared.add(name);
                Map<String, Object> s = Terraform.map(spec);
                if (s.isEmpty()) {
                    out.add(b.file() + ": provider " + name + " is a bare string; give { source, version }");
                    return;
                }
                Object source = s.get("source");
                if (source == null || !SOURCE.matcher(source.toString()).matches()) {
                    out.add(b.file() + ": provider " + name + " has no source (namespace/type)");
                }
                Object version = s.get("version");
                if (version == null) {
                    out.add(b.file() + ": provider " + name + " has no version");
                } else if (!PINNED.matcher(version.toString()).matches()) {
                    out.add(b.file() + ": provider " + name + " version \"" + version
                            + "\" is not pinned (\"= x.y.z\" or \"~> x.y.z\")");
                }
            });
        }
        Set<String> used = new TreeSet<>(tf.blocks("provider").keySet());
        for (String kind : List.of("resource", "data")) {
            tf.twoLabelBlocks(kind).forEach(b -> used.add(providerOf(b.label())));
        }
        used.remove("terraform"); // terraform_data and terraform_remote_state are built in
        used.stream().filter(p -> !declared.contains(p))
                .forEach(p -> out.add("provider " + p + " is used but not in required_providers, so any version would be installed"));
        return out;
    }

    /** The provider of a resource or data source type: its name up to the first underscore. */
    static String providerOf(String typeAndName) {
        String type = typeAndName.substring(0, typeAndName.indexOf('.'));
        int underscore = type.indexOf('_');
        return underscore < 0 ? type : type.substring(0, underscore);
    }

    /** Every variable says what it holds: a type and a description. */
    static List<String> typedVariables(Terraform tf) {
        List<String> out = new ArrayList<>();
        tf.blocks("variable").values().forEach(v -> {
            if (v.get("type") == null) {
                out.add(v.file() + ": variable " + v.label() + " has no type");
            }
            Object d = v.get("description");
            if (d == null || d.toString().isBlank()) {
                out.add(v.file() + ": variable " + v.label() + " has no description");
            }
        });
        return out;
    }

    /** A variable named like a secret has no default and is marked sensitive. */
    static List<String> noSecretDefaults(Terraform tf) {
        List<String> out = new ArrayList<>();
        tf.blocks("variable").values().stream().filter(v -> SECRET_NAME.matcher(v.label()).find()).forEach(v -> {
            if (v.body().containsKey("default") && v.get("default") != null) {
                out.add(v.file() + ": variable " + v.label() + " looks secret and has a default value");
            }
            if (!Boolean.TRUE.equals(v.get("sensitive"))) {
                out.add(v.file() + ": variable " + v.label() + " looks secret and is not sensitive = true");
            }
        });
        return out;
    }

    /** No file holds a key, a token or a password as text. */
    static List<String> noLiteralSecrets(Terraform tf) {
        List<String> out = new ArrayList<>();
        List<TfFile> all = new ArrayList<>(tf.files());
        all.addAll(tf.otherFiles());
        for (TfFile f : all) {
            String[] lines = f.text().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.trim().startsWith("#") || line.trim().startsWith("//")) {
                    continue;
                }
                for (Pattern p : SECRET_TEXT) {
                    if (p.matcher(line).find()) {
                        out.add(f.name() + ":" + (i + 1) + ": looks like a secret (" + p.pattern() + ")");
                    }
                }
                Matcher m = LITERAL_ASSIGNMENT.matcher(line);
                if (m.find() && SECRET_NAME.matcher(m.group(1)).find() && !m.group(2).isEmpty() && !m.group(2).contains("${")) {
                    out.add(f.name() + ":" + (i + 1) + ": " + m.group(1) + " is given a literal string; take it from a sensitive input or a secret store");
                }
            }
        }
        return out;
    }

    /** Every helm_release names its chart version exactly, directly or through a variable's default. */
    static List<String> pinnedHelmReleases(Terraform tf) {
        List<String> out = new ArrayList<>();
        Map<String, Block> variables = tf.blocks("variable");
        tf.twoLabelBlocks("resource").stream().filter(b -> b.label().startsWith("helm_release.")).forEach(r -> {
            Object version = r.get("version");
            if (version == null) {
                out.add(r.file() + ": " + r.label() + " has no chart version (Helm would install the newest)");
                return;
            }
            String v = version.toString();
            if (v.startsWith("var.")) {
                Block variable = variables.get(v.substring(4));
                Object dflt = variable == null ? null : variable.get("default");
                if (dflt == null || !EXACT.matcher(dflt.toString()).matches()) {
                    out.add(r.file() + ": " + r.label() + " version " + v + " has no exact default (x.y.z)");
                }
            } else if (!EXACT.matcher(v).matches()) {
                out.add(r.file() + ": " + r.label() + " version \"" + v + "\" is not an exact chart version (x.y.z)");
            }
        });
        return out;
    }

    /** State is remote and locked; where it lives comes from -backend-config, never from the code. */
    static List<String> remoteBackend(Terraform tf) {
        List<String> out = new ArrayList<>();
        List<String> backends = new ArrayList<>();
        for (Block b : tf.settings()) {
            Terraform.map(b.get("backend")).forEach((type, body) -> {
                backends.add(type);
                if (!REMOTE_BACKENDS.contains(type)) {
                    out.add(b.file() + ": backend \"" + type + "\" keeps the state on one machine; use a remote backend with locking");
                }
                Terraform.map(body).keySet().stream().filter(BACKEND_LOCATION::contains).sorted().forEach(k ->
                        out.add(b.file() + ": backend \"" + type + "\" hard-codes " + k + "; give it with terraform init -backend-config"));
            });
        }
        if (backends.isEmpty()) {
            out.add("no backend block: the state would be a local file, unshared and unlocked");
        } else if (backends.size() > 1) {
            out.add("more than one backend: " + backends);
        }
        return out;
    }

    /** tflint's plugins are pinned like the providers. */
    static List<String> pinnedLintPlugins(Terraform tf) {
        List<String> out = new ArrayList<>();
        for (TfFile f : tf.otherFiles()) {
            if (!f.name().endsWith(".tflint.hcl")) {
                continue;
            }
            Terraform.map(f.blocks().get("plugin")).forEach((name, body) -> {
                Map<String, Object> b = Terraform.map(body);
                if (b.get("source") != null && (b.get("version") == null || !EXACT.matcher(b.get("version").toString()).matches())) {
                    out.add(f.name() + ": tflint plugin " + name + " has no exact version");
                }
            });
        }
        return out;
    }

    /** The variable's default as text, or null. */
    static String defaultOf(Terraform tf, String variable) {
        Block v = tf.blocks("variable").get(variable);
        Object d = v == null ? null : v.get("default");
        return d == null ? null : d.toString();
    }
}

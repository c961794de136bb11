package dev.conduit.infra;

import com.bertramlabs.plugins.hcl4j.HCLParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Terraform module as hcl4j parses it: each {@code .tf} file's text and its blocks, as nested maps
 * ({@code resource -> helm_release -> strimzi -> {version: ...}}). References such as
 * {@code var.strimzi_version} stay unevaluated (their {@code toString()} is the reference).
 */
final class Terraform {

    /** The infra/ folder (Maven runs tests in the module's directory). */
    static final Path INFRA = Path.of(System.getProperty("infra.dir", System.getProperty("basedir", "."))).toAbsolutePath().normalize();
    /** The module this repository deploys the platform with. */
    static final Path MODULE = INFRA.resolve("terraform");
    static final Path REPO = INFRA.getParent();

    /** One parsed file: where it is (for messages), its text, its top-level blocks. */
    record TfFile(String name, String text, Map<String, Object> blocks) {
    }

    private final List<TfFile> files;
    private final List<TfFile> others;

    private Terraform(List<TfFile> files, List<TfFile> others) {
        this.files = files;
        this.others = others;
    }

    /** Every {@code .tf} file of a module (not the providers' downloads in {@code .terraform/}), and its other HCL files. */
    static Terraform load(Path module) {
        List<TfFile> tf = new ArrayList<>();
        List<TfFile> other = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(module)) {
            for (Path p : paths.filter(Files::isRegularFile).sorted().toList()) {
                String rel = module.relativize(p).toString();
                if (rel.startsWith(".terraform/")) {
                    continue;
                }
                String name = REPO.relativize(p.toAbsolutePath()).toString();
                if (rel.endsWith(".tf")) {
                    tf.add(parse(name, Files.readString(p)));
                } else if (rel.endsWith(".hcl") || rel.endsWith(".hcl.example") || rel.endsWith(".tfvars")) {
                    other.add(parse(name, Files.readString(p)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + module, e);
        }
        if (tf.isEmpty()) {
            throw new IllegalStateException("no .tf file in " + module);
        }
        return new Terraform(tf, other);
    }

    /** A module of the given files (name, text, name, text, ...): the self-tests' bad samples. */
    static Terraform of(String... namesAndTexts) {
        List<TfFile> tf = new ArrayList<>();
        List<TfFile> other = new ArrayList<>();
        for (int i = 0; i < namesAndTexts.length; i += 2) {
            TfFile f = parse(namesAndTexts[i], namesAndTexts[i + 1]);
            (f.name().endsWith(".tf") ? tf : other).add(f);
        }
        return new Terraform(tf, other);
    }

    static TfFile parse(String name, String text) {
        try {
            return new TfFile(name, text, new HCLParser().parse(text));
        } catch (Exception e) {
            throw new IllegalStateException(name + " does not parse as HCL: " + e.getMessage(), e);
        }
    }

    List<TfFile> files() {
        return files;
    }

    /** The {@code .tflint.hcl}, backend examples and variable files next to the module. */
    List<TfFile> otherFiles() {
        return others;
    }

    /** Every labelled block of one type over all files, e.g. {@code variable} -> name -> body, with the file it is in. */
    Map<String, Block> blocks(String type) {
        Map<String, Block> out = new LinkedHashMap<>();
        for (TfFile f : files) {
            map(f.blocks().get(type)).forEach((label, body) -> out.put(label, new Block(f.name(), label, map(body))));
        }
        return out;
    }

    /** Every block with two labels, e.g. {@code resource "helm_release" "strimzi"}: type -> name -> body. */
    List<Block> twoLabelBlocks(String type) {
        List<Block> out = new ArrayList<>();
        for (TfFile f : files) {
            map(f.blocks().get(type)).forEach((kind, named) ->
                    map(named).forEach((label, body) -> out.add(new Block(f.name(), kind + "." + label, map(body)))));
        }
        return out;
    }

    /** The bodies of every {@code terraform {}} block. */
    List<Block> settings() {
        List<Block> out = new ArrayList<>();
        for (TfFile f : files) {
            Object body = f.blocks().get("terraform");
            if (body != null) {
                out.add(new Block(f.name(), "terraform", map(body)));
            }
        }
        return out;
    }

    /** A block's body, where it was found and its label(s) for messages. */
    record Block(String file, String label, Map<String, Object> body) {
        Object get(String attribute) {
            return body.get(attribute);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}

package dev.conduit.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * The RS256 signing key set of a local run or a test run: a folder of PEM files, in which
 * {@value #PRIVATE_FILE} (PKCS#8) signs and every PEM's public key is published by user-service
 * (see its {@code security.KeySet}). On first use a pair is generated, {@value #PRIVATE_FILE} and
 * {@value #PUBLIC_FILE} (X.509); never committed. Rotating keys by hand changes the folder's files
 * (user-service's README), so only the signing key is required afterwards.
 */
public record JwtKeys(Path publicKey, Path privateKey) {

    public static final String PUBLIC_FILE = "jwt-public.pem";
    public static final String PRIVATE_FILE = "jwt-private.pem";

    /** Reuses the key set in {@code dir}, or generates a pair there when it has no key at all. */
    public static JwtKeys ensure(Path dir) {
        JwtKeys keys = new JwtKeys(dir.resolve(PUBLIC_FILE), dir.resolve(PRIVATE_FILE));
        if (Files.isRegularFile(keys.privateKey)) {
            keys.checkReadable();
            return keys;
        }
        if (!pemFiles(dir).isEmpty()) {
            throw new LaunchException("JWT key set in " + dir + " is incomplete (" + PRIVATE_FILE
                    + ", the signing key, is missing); delete its .pem files to have a new pair generated");
        }
        keys.generate();
        return keys;
    }

    /** The folder of the key set. */
    public Path dir() {
        return privateKey.getParent();
    }

    private void generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.createDirectories(privateKey.getParent());
            Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
            Path tmp = privateKey.resolveSibling(PRIVATE_FILE + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            restrictToOwner(tmp);
            Files.writeString(tmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            Files.move(tmp, privateKey);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new LaunchException("cannot write the JWT key pair to " + privateKey.getParent() + ": " + e.getMessage(), e);
        }
    }

    private void checkReadable() {
        for (Path key : pemFiles(dir())) {
            try {
                String text = Files.readString(key, StandardCharsets.US_ASCII);
                if (!text.startsWith("-----BEGIN ")) {
                    throw new LaunchException("JWT key " + key + " is not a PEM file; delete the key files to have a new pair generated");
                }
            } catch (IOException e) {
                throw new LaunchException("cannot read JWT key " + key + ": " + e.getMessage(), e);
            }
        }
    }

    private static List<Path> pemFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pem") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new LaunchException("cannot read the JWT key folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the data dir's ACL applies
        }
    }

    /** DER bytes as PEM text under {@code label} ({@code PUBLIC KEY}, {@code PRIVATE KEY}). */
    public static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}

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

/**
 * The RS256 key pair of a local run or a test run, as PEM files: {@code PUBLIC KEY} (X.509) and
 * {@code PRIVATE KEY} (PKCS#8). Generated on first use, never committed.
 */
public record JwtKeys(Path publicKey, Path privateKey) {

    public static final String PUBLIC_FILE = "jwt-public.pem";
    public static final String PRIVATE_FILE = "jwt-private.pem";

    /** Reuses the pair in {@code dir}, or generates one there when it has none. */
    public static JwtKeys ensure(Path dir) {
        JwtKeys keys = new JwtKeys(dir.resolve(PUBLIC_FILE), dir.resolve(PRIVATE_FILE));
        boolean hasPublic = Files.isRegularFile(keys.publicKey);
        boolean hasPrivate = Files.isRegularFile(keys.privateKey);
        if (hasPublic && hasPrivate) {
            keys.checkReadable();
            return keys;
        }
        if (hasPublic != hasPrivate) {
            throw new LaunchException("JWT key pair in " + dir + " is incomplete (one of "
                    + PUBLIC_FILE + ", " + PRIVATE_FILE + " is missing); delete both to have a new pair generated");
        }
        keys.generate();
        return keys;
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
        for (Path key : new Path[] {publicKey, privateKey}) {
            try {
                String text = Files.readString(key, StandardCharsets.US_ASCII);
                if (!text.startsWith("-----BEGIN ")) {
                    throw new LaunchException("JWT key " + key + " is not a PEM file; delete both key files to have a new pair generated");
                }
            } catch (IOException e) {
                throw new LaunchException("cannot read JWT key " + key + ": " + e.getMessage(), e);
            }
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the data dir's ACL applies
        }
    }

    static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}

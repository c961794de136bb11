package dev.conduit.user.security;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.HashUtil;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The signing key set, as PEM files in one directory: {@value #SIGNING_FILE} (PKCS#8 RSA, at least
 * 2048 bits) signs; the public key of every {@code *.pem} file there, private or public, is
 * published and verifies. So rotating is a matter of files: add the next key's public PEM, later
 * make it {@value #SIGNING_FILE} (keeping the old one's public PEM), and once the old key's last
 * token has expired delete its file.
 *
 * <p>A key's id ({@code kid}) is its RFC 7638 thumbprint (SHA-256 of the public key's canonical JWK,
 * base64url): derived from the key, so every copy of a key has the same id and no file names it.
 */
public record KeySet(String signingKid, PrivateKey signingKey, Map<String, RSAPublicKey> publicKeys) {

    public static final String SIGNING_FILE = "jwt-private.pem";
    private static final int MIN_BITS = 2048;

    public KeySet {
        publicKeys = Collections.unmodifiableMap(new LinkedHashMap<>(publicKeys));
    }

    /** Reads the directory; fails, naming the file, on anything it cannot use. */
    public static KeySet load(Path dir) {
        Path signing = dir.resolve(SIGNING_FILE);
        if (!Files.isRegularFile(signing)) {
            throw new IllegalStateException("no signing key: " + signing + " is missing");
        }
        RSAPrivateCrtKey signingKey = privateKey(signing);
        RSAPublicKey signingPublic = publicOf(signingKey);
        String signingKid = kid(signingPublic);
        Map<String, RSAPublicKey> published = new LinkedHashMap<>();
        published.put(signingKid, signingPublic);
        for (Path file : pemFiles(dir)) {
            RSAPublicKey key = file.getFileName().toString().equals(SIGNING_FILE) ? signingPublic : publicKeyIn(file);
            published.putIfAbsent(kid(key), key);
        }
        return new KeySet(signingKid, signingKey, published);
    }

    /**
     * The key that verifies a token with this {@code kid}; for a token without one (issued before
     * keys had ids), the only key when there is exactly one. Null when no key fits.
     */
    public PublicKey verificationKey(String kid) {
        if (kid != null) {
            return publicKeys.get(kid);
        }
        return publicKeys.size() == 1 ? publicKeys.values().iterator().next() : null;
    }

    /** The published JWK set: every public key, with its kid, for RS256 signatures. */
    public String jwks() {
        List<JsonWebKey> keys = new ArrayList<>();
        publicKeys.forEach((kid, key) -> {
            JsonWebKey jwk = jwk(key);
            jwk.setKeyId(kid);
            jwk.setUse("sig");
            jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            keys.add(jwk);
        });
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** The RFC 7638 thumbprint of a public key (SHA-256, base64url). */
    public static String kid(RSAPublicKey key) {
        return jwk(key).calculateBase64urlEncodedThumbprint(HashUtil.SHA_256);
    }

    /** The {@code kid} in a compact token's header, null when it has none. */
    public static String kidOf(String token) throws JoseException {
        return JsonWebStructure.fromCompactSerialization(token).getKeyIdHeaderValue();
    }

    private static PublicJsonWebKey jwk(RSAPublicKey key) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(key);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code *.pem} files of the directory, following symlinks (a Kubernetes Secret volume is made of them). */
    private static List<Path> pemFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.endsWith(".pem") && !name.startsWith(".") && Files.isRegularFile(f);
            }).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the key directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static RSAPrivateCrtKey privateKey(Path file) {
        byte[] der = pem(file, "PRIVATE KEY");
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            if (!(key instanceof RSAPrivateCrtKey crt)) {
                throw new IllegalStateException(file + " is not a complete RSA private key");
            }
            checkSize(file, crt.getModulus().bitLength());
            return crt;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(file + " is not a PKCS#8 RSA private key: " + e.getMessage(), e);
        }
    }

    private static RSAPublicKey publicKeyIn(Path file) {
        String text = read(file);
        if (text.contains(begin("PRIVATE KEY"))) {
            return publicOf(privateKey(file));
        }
        try {
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(pem(file, "PUBLIC KEY")));
            checkSize(file, key.getModulus().bitLength());
            return key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException(file + " is not an RSA public key: " + e.getMessage(), e);
        }
    }

    private static RSAPublicKey publicOf(RSAPrivateCrtKey key) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkSize(Path file, int bits) {
        if (bits < MIN_BITS) {
            throw new IllegalStateException(file + " holds a " + bits + "-bit RSA key; at least " + MIN_BITS + " bits");
        }
    }

    /** The first line of a PEM block of {@code label}. */
    private static String begin(String label) {
        return "-----BEGIN " + label + "-----";
    }

    private static byte[] pem(Path file, String label) {
        String text = read(file);
        String begin = begin(label);
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalStateException(file + " is not a PEM file with a " + label + " (PKCS#8 private or X.509 public key)");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + ": the PEM body is not base64", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

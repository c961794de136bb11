package dev.conduit.localstack.testing;

import dev.conduit.localstack.JwtKeys;
import io.smallrye.jwt.util.KeyUtils;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.HashUtil;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A key set folder as user-service reads it ({@code jwt-private.pem} signs; every PEM's public key
 * is published, its {@code kid} the RFC 7638 thumbprint), for tests: the JWK set a verifier fetches,
 * and extra keys that rotation tests add to the folder and take away again.
 */
public final class TestKeys {

    /** The signing file of a key set folder. */
    public static final String SIGNING_FILE = "jwt-private.pem";

    /** A key a test added to a folder: its id, the private key that signs with it, its public PEM file. */
    public record Extra(String kid, PrivateKey privateKey, Path file) {

        /** Takes the key out of the folder: its tokens no longer verify once verifiers refresh. */
        public void remove() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private TestKeys() {
    }

    /** The JWK set of the folder: every PEM's public key, with its kid, for RS256. */
    public static String jwks(Path dir) {
        List<JsonWebKey> keys = new ArrayList<>();
        publicKeys(dir).forEach((kid, key) -> {
            JsonWebKey jwk = jwk(key);
            jwk.setKeyId(kid);
            jwk.setUse("sig");
            jwk.setAlgorithm("RS256");
            keys.add(jwk);
        });
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** Every public key of the folder by kid, the signing key's first. */
    public static Map<String, PublicKey> publicKeys(Path dir) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        PublicKey signing = publicOf(signingKey(dir));
        keys.put(kid(signing), signing);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pem")).sorted().toList()) {
                String pem = read(file);
                PublicKey key = pem.contains("PRIVATE KEY") ? publicOf(KeyUtils.decodePrivateKey(pem)) : KeyUtils.decodePublicKey(pem);
                keys.putIfAbsent(kid(key), key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return keys;
    }

    /** The folder's signing key. */
    public static PrivateKey signingKey(Path dir) {
        try {
            return KeyUtils.decodePrivateKey(read(dir.resolve(SIGNING_FILE)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kid of the folder's signing key. */
    public static String signingKid(Path dir) {
        return kid(publicOf(signingKey(dir)));
    }

    /** Generates a key pair and publishes its public key in the folder (as {@code extra-<kid>.pem}). */
    public static Extra add(Path dir) {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            KeyPair pair = rsa.generateKeyPair();
            String kid = kid(pair.getPublic());
            Path file = dir.resolve("extra-" + kid + ".pem");
            Files.writeString(file, JwtKeys.pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
            return new Extra(kid, pair.getPrivate(), file);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A private key as PEM text, to write where a test wants it (a new signing key). */
    public static String privatePem(PrivateKey key) {
        return JwtKeys.pem("PRIVATE KEY", key.getEncoded());
    }

    /** The RFC 7638 thumbprint of a public key. */
    public static String kid(PublicKey key) {
        return jwk(key).calculateBase64urlEncodedThumbprint(HashUtil.SHA_256);
    }

    private static PublicJsonWebKey jwk(PublicKey key) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(key);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PublicKey publicOf(PrivateKey key) {
        RSAPrivateCrtKey crt = (RSAPrivateCrtKey) key;
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}

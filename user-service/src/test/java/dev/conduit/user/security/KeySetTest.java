package dev.conduit.user.security;

import dev.conduit.localstack.JwtKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeySetTest {

    @TempDir
    Path dir;

    @Test
    void theSigningKeyIsPublishedOnceUnderItsThumbprint() throws Exception {
        JwtKeys pair = JwtKeys.ensure(dir);
        KeySet keys = KeySet.load(dir);

        // jwt-private.pem and jwt-public.pem hold one key: one entry
        assertEquals(1, keys.publicKeys().size());
        assertEquals(keys.signingKid(), keys.publicKeys().keySet().iterator().next());
        // the thumbprint is the key's, whoever reads the file
        assertEquals(keys.signingKid(), KeySet.load(dir).signingKid());
        assertEquals(43, keys.signingKid().length(), "base64url of a SHA-256 digest");
        assertTrue(Files.readString(pair.privateKey()).contains("PRIVATE KEY"));
    }

    @Test
    void everyPemIsPublishedAndTheSigningFileSigns() throws Exception {
        JwtKeys.ensure(dir);
        KeyPair next = rsa(2048);
        Files.writeString(dir.resolve("next.pem"), JwtKeys.pem("PUBLIC KEY", next.getPublic().getEncoded()));
        Files.writeString(dir.resolve("notes.txt"), "not a key, not read");
        KeySet keys = KeySet.load(dir);

        String nextKid = KeySet.kid((RSAPublicKey) next.getPublic());
        assertEquals(2, keys.publicKeys().size());
        assertEquals(next.getPublic(), keys.publicKeys().get(nextKid));
        assertNotEquals(nextKid, keys.signingKid());

        JsonArray jwks = new JsonObject(keys.jwks()).getJsonArray("keys");
        assertEquals(2, jwks.size());
        for (int i = 0; i < jwks.size(); i++) {
            JsonObject jwk = jwks.getJsonObject(i);
            assertEquals("RSA", jwk.getString("kty"));
            assertEquals("sig", jwk.getString("use"));
            assertEquals("RS256", jwk.getString("alg"));
            assertTrue(keys.publicKeys().containsKey(jwk.getString("kid")));
            assertNull(jwk.getString("d"), "never a private part");
        }
    }

    @Test
    void aTokenWithoutKidVerifiesOnlyWhileThereIsOneKey() throws Exception {
        JwtKeys.ensure(dir);
        KeySet one = KeySet.load(dir);
        assertSame(one.publicKeys().get(one.signingKid()), one.verificationKey(null));
        assertNull(one.verificationKey("unknown"));

        Files.writeString(dir.resolve("next.pem"), JwtKeys.pem("PUBLIC KEY", rsa(2048).getPublic().getEncoded()));
        assertNull(KeySet.load(dir).verificationKey(null));
    }

    @Test
    void whatCannotBeUsedIsRefusedNamingTheFile() throws Exception {
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> KeySet.load(dir));
        assertTrue(missing.getMessage().contains("jwt-private.pem"), missing.getMessage());

        Files.writeString(dir.resolve(KeySet.SIGNING_FILE), JwtKeys.pem("PRIVATE KEY", rsa(1024).getPrivate().getEncoded()));
        IllegalStateException small = assertThrows(IllegalStateException.class, () -> KeySet.load(dir));
        assertTrue(small.getMessage().contains("1024-bit"), small.getMessage());

        Files.writeString(dir.resolve(KeySet.SIGNING_FILE), JwtKeys.pem("PRIVATE KEY", rsa(2048).getPrivate().getEncoded()));
        Files.writeString(dir.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        IllegalStateException broken = assertThrows(IllegalStateException.class, () -> KeySet.load(dir));
        assertTrue(broken.getMessage().contains("broken.pem"), broken.getMessage());
    }

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }
}

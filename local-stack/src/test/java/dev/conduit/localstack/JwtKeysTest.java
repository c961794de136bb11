package dev.conduit.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JwtKeysTest {

    @TempDir
    Path dir;

    @Test
    void generatesAMatchingRsa2048PairWithAPrivateKeyOnlyTheOwnerReads() throws Exception {
        JwtKeys keys = JwtKeys.ensure(dir);

        KeyFactory rsa = KeyFactory.getInstance("RSA");
        RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(der(keys.publicKey(), "PUBLIC KEY")));
        RSAPrivateCrtKey priv = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der(keys.privateKey(), "PRIVATE KEY")));
        assertEquals(2048, pub.getModulus().bitLength());
        assertEquals(pub.getModulus(), priv.getModulus());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(keys.privateKey()));
    }

    @Test
    void reusesAnExistingPair() throws Exception {
        JwtKeys first = JwtKeys.ensure(dir);
        String before = Files.readString(first.privateKey());
        JwtKeys second = JwtKeys.ensure(dir);
        assertEquals(before, Files.readString(second.privateKey()));
    }

    @Test
    void refusesAHalfPairWithAClearMessage() throws Exception {
        JwtKeys keys = JwtKeys.ensure(dir);
        Files.delete(keys.privateKey());
        LaunchException e = assertThrows(LaunchException.class, () -> JwtKeys.ensure(dir));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
    }

    @Test
    void aRotatedSetNeedsOnlyItsSigningKey() throws Exception {
        JwtKeys keys = JwtKeys.ensure(dir);
        Files.move(keys.publicKey(), dir.resolve("jwt-previous.pem"));
        String signing = Files.readString(keys.privateKey());
        assertEquals(signing, Files.readString(JwtKeys.ensure(dir).privateKey()));
    }

    @Test
    void refusesAKeyFileThatIsNotPem() throws Exception {
        JwtKeys keys = JwtKeys.ensure(dir);
        Files.writeString(keys.publicKey(), "garbage");
        LaunchException e = assertThrows(LaunchException.class, () -> JwtKeys.ensure(dir));
        assertTrue(e.getMessage().contains("not a PEM file"), e.getMessage());
    }

    private static byte[] der(Path pem, String label) throws Exception {
        String text = Files.readString(pem);
        assertTrue(text.startsWith("-----BEGIN " + label + "-----\n"), text);
        String body = text.replace("-----BEGIN " + label + "-----", "").replace("-----END " + label + "-----", "");
        return Base64.getMimeDecoder().decode(body);
    }
}

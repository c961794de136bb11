package dev.conduit.user;

import dev.conduit.localstack.JwtKeys;
import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.TestKeys;
import dev.conduit.localstack.testing.TestServers;
import dev.conduit.user.security.SigningKeys;
import dev.conduit.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.conduit.user.Users.PASSWORD;
import static dev.conduit.user.Users.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The published key set and a rotation done the way an operator does it, by changing the key
 * folder's files while the service runs: old tokens stay valid until their key leaves the set, new
 * tokens carry the new key's id, a key nobody published verifies nothing. The folder is the run's
 * shared one, so each test puts it back as it found it and waits until the service uses it again.
 */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class KeyRotationTest {

    private static final Duration RELOAD = Duration.ofSeconds(15);

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Inject
    SigningKeys keys;

    private final Path dir = TestServers.jwtKeys().dir();
    private final Map<String, String> original = new HashMap<>();

    @BeforeEach
    void remember() throws IOException {
        for (Path file : pemFiles()) {
            original.put(file.getFileName().toString(), Files.readString(file));
        }
    }

    @AfterEach
    void putTheFolderBack() throws IOException {
        for (Path file : pemFiles()) {
            if (!original.containsKey(file.getFileName().toString())) {
                Files.delete(file);
            }
        }
        for (Map.Entry<String, String> file : original.entrySet()) {
            replace(file.getKey(), file.getValue());
        }
        String kid = TestKeys.signingKid(dir);
        awaitPublished(Set.of(kid));
        Awaitility.await("signing with the run's key again").atMost(RELOAD).until(() -> kidOf(Users.register().token()).equals(kid));
    }

    @Test
    void theKeySetIsPublishedWithKidsAndACacheLifetimeAndTokensNameTheirKey() {
        String kid = TestKeys.signingKid(dir);
        given().get("/internal/jwks").then().statusCode(200)
                .contentType("application/jwk-set+json")
                .header("Cache-Control", "max-age=60")
                .body("keys.kid", contains(kid))
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"))
                .body("keys[0].use", equalTo("sig"))
                .body("keys[0].d", equalTo(null));
        assertEquals(kid, kidOf(Users.register().token()));
    }

    @Test
    void aRotationKeepsOldTokensValidUntilTheirKeyIsRemovedWithoutARestart() throws Exception {
        Users.Registered jake = Users.register();
        String oldKid = TestKeys.signingKid(dir);
        String oldPublic = JwtKeys.pem("PUBLIC KEY", TestKeys.publicKeys(dir).get(oldKid).getEncoded());
        KeyPair next = rsa();
        String newKid = TestKeys.kid(next.getPublic());

        // 1. publish the next key; signing does not change yet
        replace("jwt-next.pem", JwtKeys.pem("PUBLIC KEY", next.getPublic().getEncoded()));
        awaitPublished(Set.of(oldKid, newKid));
        assertEquals(oldKid, kidOf(login(jake)));

        // 2. sign with it; the old key stays published (jwt-public.pem was the old key's too)
        replace("jwt-previous.pem", oldPublic);
        replace(TestKeys.SIGNING_FILE, TestKeys.privatePem(next.getPrivate()));
        Files.delete(dir.resolve("jwt-next.pem"));
        Files.delete(dir.resolve(JwtKeys.PUBLIC_FILE));
        Awaitility.await("tokens signed with the new key").atMost(RELOAD).until(() -> kidOf(login(jake)).equals(newKid));
        awaitPublished(Set.of(oldKid, newKid));
        String fresh = login(jake);
        given().header("Authorization", jake.auth()).get("/user").then().statusCode(200);
        given().header("Authorization", "Token " + fresh).get("/user").then().statusCode(200);

        // a key nobody published verifies nothing, whatever kid it claims
        KeyPair stranger = rsa();
        for (String kid : new String[] {TestKeys.kid(stranger.getPublic()), newKid, oldKid}) {
            String forged = Jwt.issuer("conduit").subject(AuthenticationTest.subject(jake.token())).claim("username", jake.username())
                    .expiresIn(3600).jws().keyId(kid).sign(stranger.getPrivate());
            given().header("Authorization", "Token " + forged).get("/user").then().statusCode(401)
                    .body("errors.body", contains("token is missing, invalid or expired"));
        }

        // 3. once the old key's tokens have expired, remove it: whatever it signed is refused
        Files.delete(dir.resolve("jwt-previous.pem"));
        awaitPublished(Set.of(newKid));
        given().header("Authorization", jake.auth()).get("/user").then().statusCode(401)
                .body("errors.body", contains("token is missing, invalid or expired"));
        given().header("Authorization", "Token " + fresh).get("/user").then().statusCode(200);
    }

    @Test
    void aFolderThatCannotBeReadLeavesTheKeysInUse() throws Exception {
        Users.Registered jake = Users.register();
        String kid = TestKeys.signingKid(dir);
        // a PEM block whose content is no key
        replace(TestKeys.SIGNING_FILE, JwtKeys.pem("PRIVATE KEY", "broken".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        keys.reload();
        assertEquals(kid, keys.current().signingKid());
        given().header("Authorization", jake.auth()).get("/user").then().statusCode(200);
        assertEquals(kid, kidOf(login(jake)));
        given().get("/internal/jwks").then().statusCode(200).body("keys.kid", contains(kid));
    }

    private void awaitPublished(Set<String> kids) {
        Awaitility.await("published kids " + kids).atMost(RELOAD)
                .until(() -> Set.copyOf(given().get("/internal/jwks").then().statusCode(200).extract().<List<String>>path("keys.kid"))
                        .equals(kids));
    }

    private static String login(Users.Registered user) {
        return post("/users/login", Map.of("user", Map.of("email", user.email(), "password", PASSWORD)))
                .statusCode(200).extract().path("user.token");
    }

    static String kidOf(String token) {
        return TestTokens.joseHeader(token).getString("kid");
    }

    /** Writes a key file the way a Secret update does: whole or not at all. */
    private void replace(String name, String content) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private List<Path> pemFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pem")).toList();
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}

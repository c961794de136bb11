package dev.conduit.systemtests;

import dev.conduit.localstack.JwtKeys;
import dev.conduit.localstack.testing.TestTokens;
import io.restassured.http.ContentType;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tokens against the whole platform through the gateway: missing, forged, expired and alg none never
 * pass; a password change revokes the older tokens on every service within the bound; a key
 * rotation done on the key folder while everything runs keeps old and new tokens valid.
 */
class SecurityIT {

    /** How soon post- and comment-service must refuse a revoked token (the event's way to them). */
    private static final Duration REVOCATION_BOUND = Duration.ofSeconds(2);

    @Test
    void badTokensOnProtectedRoutesAre401WithTheEnvelope() throws Exception {
        JourneyIT.User jake = JourneyIT.register("sec");
        String sub = TestTokens.claims(jake.token()).getString("sub");
        String kid = TestTokens.joseHeader(jake.token()).getString("kid");
        long now = Instant.now().getEpochSecond();
        String claims = "{\"iss\":\"conduit\",\"sub\":\"" + sub + "\",\"username\":\"" + jake.username() + "\",\"iat\":" + now;

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String forged = sign(claims + ",\"exp\":" + (now + 3600) + "}", rsa.generateKeyPair().getPrivate(), kid);
        String expired = sign(claims + ",\"exp\":" + (now - 60) + "}", platformKey(), kid);
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims + ",\"exp\":" + (now + 3600) + "}") + ".";
        String valid = sign(claims + ",\"exp\":" + (now + 3600) + "}", platformKey(), kid);

        for (String header : new String[] {null, "Token", "Token garbage", "Token " + forged, "Bearer " + expired, "Token " + none}) {
            var request = given(SharedPlatform.api()).contentType(ContentType.JSON);
            if (header != null) {
                request.header("Authorization", header);
            }
            request.get("/user").then().statusCode(401).body("errors.body", hasSize(1));
            request.body(Map.of("article", Map.of("title", "t", "description", "d", "body", "b"))).post("/articles")
                    .then().statusCode(401).body("errors.body", hasSize(1));
        }
        given(SharedPlatform.api()).header("Authorization", "Bearer " + valid).get("/user").then().statusCode(200)
                .body("user.username", equalTo(jake.username()));
    }

    @Test
    void aPasswordChangeRevokesOlderTokensOnEveryServiceWithinTheBound() {
        JourneyIT.User jake = JourneyIT.register("revoke");
        String slug = jake.as().body(Map.of("article", Map.of("title", "Revocation " + UUID.randomUUID(), "description", "d",
                "body", "b"))).post("/articles").then().statusCode(201).extract().path("article.slug");
        String old = "Token " + jake.token();
        assertEquals(200, status(old, "/articles/feed"));
        assertEquals(200, status(old, "/articles/" + slug + "/comments"));

        String fresh = "Token " + jake.as().body(Map.of("user", Map.of("password", "a new passphrase")))
                .put("/user").then().statusCode(200).extract().path("user.token");
        long changed = System.nanoTime();
        // user-service holds the cut-off: at once
        given(SharedPlatform.api()).header("Authorization", old).get("/user").then().statusCode(401)
                .body("errors.body", contains("token is missing, invalid or expired"));
        long post = refusedWithinBound(old, "/articles/feed", changed);
        long comment = refusedWithinBound(old, "/articles/" + slug + "/comments", changed);
        System.out.printf("revocation delay through the gateway (password change answered -> old token refused): "
                + "user-service 0 ms (at once), post-service %d ms, comment-service %d ms%n", post, comment);

        for (String path : new String[] {"/user", "/articles/feed", "/articles/" + slug + "/comments"}) {
            assertEquals(200, status(fresh, path), path);
        }
    }

    @Test
    void aKeyRotationOnTheKeyFolderKeepsOldAndNewTokensValidWithoutARestart() throws Exception {
        Path keys = SharedPlatform.get().data().keys();
        Map<String, String> original = pemFiles(keys);
        JourneyIT.User jake = JourneyIT.register("rotate");
        String old = "Token " + jake.token();
        String slug = jake.as().body(Map.of("article", Map.of("title", "Rotation " + UUID.randomUUID(), "description", "d",
                "body", "b"))).post("/articles").then().statusCode(201).extract().path("article.slug");
        String oldKid = TestTokens.joseHeader(jake.token()).getString("kid");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair next = rsa.generateKeyPair();
        try {
            // 1. publish the next key: user-service reads its folder again within 10 s
            write(keys, "jwt-next.pem", JwtKeys.pem("PUBLIC KEY", next.getPublic().getEncoded()));
            Awaitility.await("user-service publishes the next key").atMost(Duration.ofSeconds(30))
                    .until(() -> publishedKids().size() == 2);
            String nextKid = publishedKids().stream().filter(k -> !k.equals(oldKid)).findFirst().orElseThrow();

            // 2. sign with it; jwt-public.pem keeps the old key published
            write(keys, JwtKeys.PRIVATE_FILE, JwtKeys.pem("PRIVATE KEY", next.getPrivate().getEncoded()));
            Files.delete(keys.resolve("jwt-next.pem"));
            Awaitility.await("user-service signs with the next key").atMost(Duration.ofSeconds(30))
                    .until(() -> nextKid.equals(TestTokens.joseHeader(loginAtUserService(jake)).getString("kid")));
            String fresh = "Token " + given(SharedPlatform.api()).contentType(ContentType.JSON)
                    .body(Map.of("user", Map.of("email", jake.email(), "password", "password123"))).post("/users/login")
                    .then().statusCode(200).extract().path("user.token");
            assertEquals(nextKid, TestTokens.joseHeader(fresh.substring(6)).getString("kid"));

            // every verifier meets the new kid and fetches the set; the old key still verifies
            long switched = System.nanoTime();
            for (String path : new String[] {"/user", "/articles/feed", "/articles/" + slug + "/comments"}) {
                Awaitility.await(path + " with a token of the new key").atMost(Duration.ofSeconds(90))
                        .until(() -> status(fresh, path) == 200);
                assertEquals(200, status(old, path), path);
            }
            System.out.printf("key rotation: a token of the new key passed the gateway and every service %d ms after "
                    + "user-service started signing with it; tokens of the old key kept passing%n", (System.nanoTime() - switched) / 1_000_000);
        } finally {
            for (Map.Entry<String, String> file : pemFiles(keys).entrySet()) {
                if (!original.containsKey(file.getKey())) {
                    Files.delete(keys.resolve(file.getKey()));
                }
            }
            for (Map.Entry<String, String> file : original.entrySet()) {
                write(keys, file.getKey(), file.getValue());
            }
            Awaitility.await("user-service signs with the run's key again").atMost(Duration.ofSeconds(30))
                    .until(() -> oldKid.equals(TestTokens.joseHeader(loginAtUserService(jake)).getString("kid")));
        }
    }

    private static long refusedWithinBound(String auth, String path, long since) {
        Duration left = REVOCATION_BOUND.minusNanos(System.nanoTime() - since);
        Awaitility.await(path + ": the revoked token refused within " + REVOCATION_BOUND)
                .atMost(Duration.ofMillis(Math.max(1, left.toMillis()))).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> status(auth, path) == 401);
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static int status(String auth, String path) {
        return given(SharedPlatform.api()).header("Authorization", auth).get(path).statusCode();
    }

    /** The kids user-service publishes, asked on its own port as an operator would (the gateway does not route it). */
    private static List<String> publishedKids() {
        return given().baseUri("http://127.0.0.1").port(SharedPlatform.get().settings().userPort()).get("/internal/jwks")
                .then().statusCode(200).extract().path("keys.kid");
    }

    /** A login at user-service itself: polling through the gateway would meet its login rate limit. */
    private static String loginAtUserService(JourneyIT.User user) {
        return given().baseUri("http://127.0.0.1").port(SharedPlatform.get().settings().userPort()).contentType(ContentType.JSON)
                .body(Map.of("user", Map.of("email", user.email(), "password", "password123"))).post("/users/login")
                .then().statusCode(200).extract().path("user.token");
    }

    private static Map<String, String> pemFiles(Path dir) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.filter(f -> f.getFileName().toString().endsWith(".pem")).toList()) {
                files.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return files;
    }

    /** Whole or not at all, as a Secret update does it. */
    private static void write(Path dir, String name, String content) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static PrivateKey platformKey() throws Exception {
        String pem = Files.readString(SharedPlatform.get().data().keys().resolve("jwt-private.pem"));
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String sign(String claims, PrivateKey key, String kid) throws Exception {
        String input = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}") + "." + b64(claims);
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

package dev.conduit.post;

import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.TestKeys;
import dev.conduit.localstack.testing.TestServers;
import dev.conduit.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A verifying service follows the JWK set user-service publishes (here the run's key folder, served
 * the same way), without a restart: a key added to the set verifies, a key taken out no longer
 * does, a kid nobody published verifies nothing, and tokens of the key that stayed keep working.
 * Shared with every verifier: the JWK settings live in service-support's defaults.
 */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class KeyRotationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void keysAddedToAndRemovedFromThePublishedSetAreFollowedWithoutARestart() throws Exception {
        Authors.Author jake = Authors.registered();
        String current = jake.auth();
        given().header("Authorization", current).get("/articles/feed").then().statusCode(200);

        TestKeys.Extra next = TestKeys.add(TestServers.jwtKeys().dir());
        try {
            String signedByNext = "Token " + TestTokens.sign(jake.id(), jake.username(), next);
            await("a token of the added key verifies").atMost(WAIT).until(() -> feed(signedByNext) == 200);
            given().header("Authorization", current).get("/articles/feed").then().statusCode(200);

            // a key nobody published, under its own kid or under a published one: refused
            PrivateKey stranger = rsa();
            for (String kid : new String[] {"no-such-key", next.kid(), TestKeys.signingKid(TestServers.jwtKeys().dir())}) {
                String forged = Jwt.issuer("conduit").subject(jake.id()).upn(jake.username()).claim("username", jake.username())
                        .expiresIn(3600).jws().keyId(kid).sign(stranger);
                given().header("Authorization", "Token " + forged).get("/articles/feed").then().statusCode(401);
            }

            next.remove();
            await("a token of the removed key is refused").atMost(WAIT).until(() -> feed(signedByNext) == 401);
            given().header("Authorization", current).get("/articles/feed").then().statusCode(200);
        } finally {
            next.remove();
        }
    }

    private static int feed(String auth) {
        return given().header("Authorization", auth).get("/articles/feed").statusCode();
    }

    private static PrivateKey rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair().getPrivate();
    }
}

package dev.conduit.user;

import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.TestServers;
import dev.conduit.localstack.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static dev.conduit.user.Users.PASSWORD;
import static dev.conduit.user.Users.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class AuthenticationTest {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void loginAnswersWithAWorkingToken() {
        Users.Registered jake = Users.register();
        String token = post("/users/login", Map.of("user", Map.of("email", jake.email().toUpperCase(), "password", PASSWORD)))
                .statusCode(200)
                .body("user.username", equalTo(jake.username()))
                .body("user.email", equalTo(jake.email()))
                .extract().path("user.token");
        given().header("Authorization", "Token " + token).when().get("/user")
                .then().statusCode(200).body("user.username", equalTo(jake.username())).body("user.token", equalTo(token));
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSame401() {
        Users.Registered jake = Users.register();
        post("/users/login", Map.of("user", Map.of("email", jake.email(), "password", "wrong password")))
                .statusCode(401).body("errors.body", contains("email or password is invalid"));
        post("/users/login", Map.of("user", Map.of("email", "nobody-" + jake.email(), "password", PASSWORD)))
                .statusCode(401).body("errors.body", contains("email or password is invalid"));
        post("/users/login", Map.of("user", Map.of("email", jake.email())))
                .statusCode(422).body("errors.body", contains("password can't be blank"));
    }

    @Test
    void tokenAndBearerSchemesBothWork() {
        Users.Registered jake = Users.register();
        given().header("Authorization", "Token " + jake.token()).get("/user").then().statusCode(200);
        given().header("Authorization", "Bearer " + jake.token()).get("/user").then().statusCode(200);
    }

    @Test
    void missingMalformedAndTamperedTokensAre401() {
        Users.Registered jake = Users.register();
        given().get("/user").then().statusCode(401).body("errors.body.size()", equalTo(1));
        given().header("Authorization", "Token not-a-jwt").get("/user").then().statusCode(401)
                .body("errors.body", contains("token is missing, invalid or expired"));
        given().header("Authorization", "Basic " + jake.token()).get("/user").then().statusCode(401);
        String[] parts = jake.token().split("\\.");
        String otherPayload = b64(json(subject(jake.token()), "admin", Instant.now().plusSeconds(3600)));
        given().header("Authorization", "Token " + parts[0] + "." + otherPayload + "." + parts[2]).get("/user")
                .then().statusCode(401);
    }

    @Test
    void expiredTokensAndOtherKeysAndAlgNoneAre401() throws Exception {
        Users.Registered jake = Users.register();
        String id = subject(jake.token());
        PrivateKey ours = KeyUtils.decodePrivateKey(Files.readString(TestServers.jwtKeys().privateKey()));
        String expired = Jwt.issuer("conduit").subject(id).claim("username", jake.username())
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)).sign(ours);
        given().header("Authorization", "Token " + expired).get("/user").then().statusCode(401);

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String forged = Jwt.issuer("conduit").subject(id).claim("username", jake.username())
                .expiresIn(3600).sign(rsa.generateKeyPair().getPrivate());
        given().header("Authorization", "Token " + forged).get("/user").then().statusCode(401);

        String wrongIssuer = Jwt.issuer("someone-else").subject(id).claim("username", jake.username())
                .expiresIn(3600).sign(ours);
        given().header("Authorization", "Token " + wrongIssuer).get("/user").then().statusCode(401);

        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(json(id, jake.username(),
                Instant.now().plusSeconds(3600))) + ".";
        given().header("Authorization", "Token " + none).get("/user").then().statusCode(401);

        String valid = Jwt.issuer("conduit").subject(id).claim("username", jake.username()).expiresIn(3600).sign(ours);
        given().header("Authorization", "Token " + valid).get("/user").then().statusCode(200);
    }

    @Test
    void aValidTokenWhoseSubjectIsNoAccountIs401NotA500() throws Exception {
        PrivateKey ours = KeyUtils.decodePrivateKey(Files.readString(TestServers.jwtKeys().privateKey()));
        for (String subject : new String[] {"not-an-object-id", "5f8d0d55b54764421b7156c9"}) {
            String token = Jwt.issuer("conduit").subject(subject).claim("username", "ghost").expiresIn(3600).sign(ours);
            given().header("Authorization", "Token " + token).get("/user").then().statusCode(401)
                    .body("errors.body.size()", equalTo(1));
        }
    }

    static String subject(String token) {
        return TestTokens.claims(token).getString("sub");
    }

    private static String json(String sub, String username, Instant exp) {
        return "{\"iss\":\"conduit\",\"sub\":\"" + sub + "\",\"username\":\"" + username + "\",\"exp\":" + exp.getEpochSecond()
                + ",\"iat\":" + Instant.now().getEpochSecond() + "}";
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

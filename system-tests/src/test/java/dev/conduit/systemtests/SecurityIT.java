package dev.conduit.systemtests;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Tokens that must not pass the gateway: missing, forged, expired, alg none. */
class SecurityIT {

    @Test
    void badTokensOnProtectedRoutesAre401WithTheEnvelope() throws Exception {
        JourneyIT.User jake = JourneyIT.register("sec");
        String sub = payloadField(jake.token(), "sub");
        long now = Instant.now().getEpochSecond();
        String claims = "{\"iss\":\"conduit\",\"sub\":\"" + sub + "\",\"username\":\"" + jake.username() + "\",\"iat\":" + now;

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String forged = sign(claims + ",\"exp\":" + (now + 3600) + "}", rsa.generateKeyPair().getPrivate());
        String expired = sign(claims + ",\"exp\":" + (now - 60) + "}", platformKey());
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims + ",\"exp\":" + (now + 3600) + "}") + ".";
        String valid = sign(claims + ",\"exp\":" + (now + 3600) + "}", platformKey());

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

    private static PrivateKey platformKey() throws Exception {
        String pem = Files.readString(SharedPlatform.get().data().keys().resolve("jwt-private.pem"));
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String sign(String claims, PrivateKey key) throws Exception {
        String input = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + b64(claims);
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
    }

    private static String payloadField(String token, String field) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        return payload.replaceAll(".*\"" + field + "\":\"([^\"]+)\".*", "$1");
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

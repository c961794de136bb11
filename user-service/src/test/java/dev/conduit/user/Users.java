package dev.conduit.user;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Test helpers that speak the public contract. */
final class Users {

    static final String PASSWORD = "correct horse battery";

    private Users() {
    }

    static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    record Registered(String username, String email, String token) {
        String auth() {
            return "Token " + token;
        }
    }

    static Registered register() {
        String username = unique("u");
        return register(username, username + "@example.com");
    }

    static Registered register(String username, String email) {
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("user", Map.of("username", username, "email", email, "password", PASSWORD)))
                .when().post("/users")
                .then().statusCode(201)
                .extract().path("user.token");
        return new Registered(username, email, token);
    }

    static ValidatableResponse post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path).then();
    }
}

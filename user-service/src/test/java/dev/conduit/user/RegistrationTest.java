package dev.conduit.user;

import dev.conduit.localstack.testing.ConduitTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.conduit.user.Users.PASSWORD;
import static dev.conduit.user.Users.post;
import static dev.conduit.user.Users.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class RegistrationTest {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void registersAndAnswersWithTheUserAndAToken() {
        String username = unique("jake_the.dog-1");
        post("/users", Map.of("user", Map.of("username", username, "email", username + "@Example.com", "password", PASSWORD)))
                .statusCode(201)
                .header("Location", "/api/profiles/" + username)
                .body("user.username", equalTo(username))
                .body("user.email", equalTo(username + "@Example.com"))
                .body("user.token", notNullValue())
                .body("user", hasKey("bio")).body("user.bio", nullValue())
                .body("user", hasKey("image")).body("user.image", nullValue())
                .body("user", not(hasKey("password")))
                .body("user", not(hasKey("passwordHash")));
    }

    @Test
    void takenEmailOrUsernameIsA422WhateverTheCase() {
        Users.Registered first = Users.register();
        post("/users", Map.of("user", Map.of("username", first.username().toUpperCase(), "email", "other-" + first.email(),
                "password", PASSWORD)))
                .statusCode(422).body("errors.body", contains("username has already been taken"));
        post("/users", Map.of("user", Map.of("username", unique("x"), "email", first.email().toUpperCase(), "password", PASSWORD)))
                .statusCode(422).body("errors.body", contains("email has already been taken"));
        post("/users", Map.of("user", Map.of("username", first.username(), "email", first.email(), "password", PASSWORD)))
                .statusCode(422).body("errors.body", contains("email has already been taken", "username has already been taken"));
    }

    static final String USERNAME_RULE = "username may contain only letters, digits, '_', '-' and '.', and may not be '.' or '..'";

    /** Names that are not one path segment of {@code /profiles/{username}} as they stand. */
    static final List<String> UNADDRESSABLE = List.of(".", "..", "a/b", "/", "a%2Fb", "100%", "what?", "a#b", "back\\slash",
            "tab\tin", "nul\u0000", "bell\u0007", "del\u007f", "new\nline", " jake", "jake ", "\u00a0jake", "jake\u2003");

    @Test
    void aNameThatIsNotOnePathSegmentIsA422AtRegistrationAndAtUpdate() {
        Users.Registered jake = Users.register();
        for (String name : UNADDRESSABLE) {
            post("/users", Map.of("user", Map.of("username", name, "email", unique("e") + "@x.io", "password", PASSWORD)))
                    .statusCode(422).body("errors.body", hasItem(USERNAME_RULE));
            given().header("Authorization", jake.auth()).contentType(ContentType.JSON)
                    .body(Map.of("user", Map.of("username", name))).put("/user")
                    .then().statusCode(422).body("errors.body", contains(USERNAME_RULE));
        }
        given().header("Authorization", jake.auth()).get("/user")
                .then().statusCode(200).body("user.username", equalTo(jake.username()));
    }

    @Test
    void namesWithInnerDotsDashesUnderscoresAndAnyScriptsLettersWork() {
        String suffix = unique("").substring(1);
        for (String name : List.of("jake.doe" + suffix, "j-a_k.e" + suffix, "...." + suffix, "Jürgen" + suffix,
                "Δημήτρης" + suffix, "山田" + suffix)) {
            Users.Registered user = Users.register(name, unique("e") + "@x.io");
            given().get("/profiles/" + name).then().statusCode(200).body("profile.username", equalTo(name));
            String renamed = "é." + name;
            given().header("Authorization", user.auth()).contentType(ContentType.JSON)
                    .body(Map.of("user", Map.of("username", renamed))).put("/user")
                    .then().statusCode(200).body("user.username", equalTo(renamed));
            given().get("/profiles/" + renamed).then().statusCode(200).body("profile.username", equalTo(renamed));
        }
    }

    @Test
    void everyBadFieldIsNamed() {
        post("/users", Map.of("user", Map.of("email", "a@b.co", "password", PASSWORD)))
                .statusCode(422).body("errors.body", contains("username can't be blank"));
        post("/users", Map.of("user", Map.of("username", " ", "email", "a@b.co", "password", PASSWORD)))
                .statusCode(422).body("errors.body", hasItem("username can't be blank"));
        post("/users", Map.of("user", Map.of("username", unique("u"), "email", "not-an-email", "password", PASSWORD)))
                .statusCode(422).body("errors.body", contains("email is invalid"));
        post("/users", Map.of("user", Map.of("username", unique("u"), "email", unique("e") + "@x.io", "password", "short")))
                .statusCode(422).body("errors.body", contains("password must be 8 to 72 characters long"));
        post("/users", Map.of("user", Map.of("username", "x".repeat(41), "email", unique("e") + "@x.io", "password", PASSWORD)))
                .statusCode(422).body("errors.body", contains("username is too long (maximum is 40 characters)"));
        post("/users", Map.of("user", Map.of("username", "bad/name", "email", unique("e") + "@x.io", "password", PASSWORD)))
                .statusCode(422).body("errors.body", contains(USERNAME_RULE));
        post("/users", Map.of("user", Map.of("username", unique("u"), "email", unique("e") + "@x.io", "password", "é".repeat(40))))
                .statusCode(422).body("errors.body", contains("password is too long (maximum is 72 bytes)"));
        post("/users", Map.of("nothing", "here"))
                .statusCode(422).body("errors.body", contains("user is required"));
    }

    @Test
    void wrongTypesAre422AndBrokenJsonIs400AndUnknownFieldsAreIgnored() {
        post("/users", Map.of("user", Map.of("username", 42, "email", "a@b.co", "password", PASSWORD)))
                .statusCode(422).body("errors.body", contains("username has the wrong type"));
        post("/users", Map.of("user", "jake"))
                .statusCode(422).body("errors.body", contains("user has the wrong type"));
        given().contentType(ContentType.JSON).body("{\"user\": {\"username\": ").when().post("/users")
                .then().statusCode(400).body("errors.body", contains("body is not valid JSON"));
        given().contentType(ContentType.JSON).when().post("/users")
                .then().statusCode(422).body("errors.body", hasItem("body is required"));
        String username = unique("u");
        post("/users", Map.of("user", Map.of("username", username, "email", username + "@x.io", "password", PASSWORD,
                "admin", true), "extra", 1))
                .statusCode(201).body("user.username", equalTo(username));
    }

    @Test
    void twentyRacingRegistrationsOfOneUsernameHaveOneWinner() throws Exception {
        String username = unique("race");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String email = username + i + "@x.io";
                calls.add(() -> given().contentType(ContentType.JSON)
                        .body(Map.of("user", Map.of("username", username, "email", email, "password", PASSWORD)))
                        .post("/users").statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(19, statuses.stream().filter(s -> s == 422).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
    }
}

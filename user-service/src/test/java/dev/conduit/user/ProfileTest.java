package dev.conduit.user;

import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.TestTokens;
import dev.conduit.support.security.Caller;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.conduit.user.Users.PASSWORD;
import static dev.conduit.user.Users.post;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class ProfileTest {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void profilesAreReadableByAnyoneAndFollowingIsRelativeToTheCaller() {
        Users.Registered jake = Users.register();
        Users.Registered anna = Users.register();
        given().get("/profiles/" + jake.username()).then().statusCode(200)
                .body("profile.username", equalTo(jake.username()))
                .body("profile", hasKey("bio")).body("profile.bio", nullValue())
                .body("profile", hasKey("image"))
                .body("profile.following", equalTo(false));
        given().get("/profiles/" + jake.username().toUpperCase()).then().statusCode(200)
                .body("profile.username", equalTo(jake.username()));

        given().header("Authorization", anna.auth()).post("/profiles/" + jake.username() + "/follow")
                .then().statusCode(200).body("profile.following", equalTo(true)).body("profile.username", equalTo(jake.username()));
        given().header("Authorization", anna.auth()).post("/profiles/" + jake.username() + "/follow")
                .then().statusCode(200).body("profile.following", equalTo(true));
        given().header("Authorization", anna.auth()).get("/profiles/" + jake.username())
                .then().statusCode(200).body("profile.following", equalTo(true));
        given().header("Authorization", jake.auth()).get("/profiles/" + anna.username())
                .then().statusCode(200).body("profile.following", equalTo(false));
        given().get("/profiles/" + jake.username()).then().body("profile.following", equalTo(false));

        given().header("Authorization", anna.auth()).delete("/profiles/" + jake.username() + "/follow")
                .then().statusCode(200).body("profile.following", equalTo(false));
        given().header("Authorization", anna.auth()).delete("/profiles/" + jake.username() + "/follow")
                .then().statusCode(200).body("profile.following", equalTo(false));
        given().header("Authorization", anna.auth()).get("/profiles/" + jake.username())
                .then().body("profile.following", equalTo(false));
    }

    @Test
    void theInternalLookupSaysWhomAUserFollowsRightAfterAFollowOrUnfollow() throws Exception {
        Users.Registered jake = Users.register();
        Users.Registered anna = Users.register();
        String jakeId = AuthenticationTest.subject(jake.token());
        String annaId = AuthenticationTest.subject(anna.token());
        given().get("/internal/users/" + annaId + "/following").then().statusCode(200)
                .body("userId", equalTo(annaId)).body("following", empty()).body("version", equalTo(1));
        given().header("Authorization", anna.auth()).post("/profiles/" + jake.username() + "/follow").then().statusCode(200);
        given().get("/internal/users/" + annaId + "/following").then().statusCode(200)
                .body("following", contains(jakeId)).body("version", equalTo(2));
        given().header("Authorization", anna.auth()).delete("/profiles/" + jake.username() + "/follow").then().statusCode(200);
        given().get("/internal/users/" + annaId + "/following").then().statusCode(200)
                .body("following", empty()).body("version", equalTo(3));
        given().get("/internal/users/" + new ObjectId() + "/following").then().statusCode(404)
                .body("errors.body", contains("user not found"));
        given().get("/internal/users/not-an-id/following").then().statusCode(404)
                .body("errors.body", contains("user not found"));
    }

    @Test
    void unknownProfilesAre404AndFollowingNeedsATokenAndAnother() {
        Users.Registered jake = Users.register();
        given().get("/profiles/nobody_" + jake.username()).then().statusCode(404)
                .body("errors.body", contains("profile not found"));
        given().header("Authorization", jake.auth()).post("/profiles/nobody_" + jake.username() + "/follow")
                .then().statusCode(404);
        given().post("/profiles/" + jake.username() + "/follow").then().statusCode(401)
                .body("errors.body.size()", equalTo(1));
        given().header("Authorization", jake.auth()).post("/profiles/" + jake.username() + "/follow")
                .then().statusCode(422).body("errors.body", contains("you cannot follow yourself"));
        given().header("Authorization", "Token garbage").get("/profiles/" + jake.username()).then().statusCode(401);
    }

    @Test
    void partialUpdateChangesOnlyWhatWasSentAndANewUsernameKeepsFollows() {
        Users.Registered jake = Users.register();
        Users.Registered anna = Users.register();
        given().header("Authorization", anna.auth()).post("/profiles/" + jake.username() + "/follow").then().statusCode(200);

        given().header("Authorization", jake.auth()).contentType(ContentType.JSON)
                .body(Map.of("user", Map.of("bio", "I like to skateboard", "image", "https://i.example.com/jake.png")))
                .put("/user").then().statusCode(200)
                .body("user.bio", equalTo("I like to skateboard"))
                .body("user.image", equalTo("https://i.example.com/jake.png"))
                .body("user.username", equalTo(jake.username()))
                .body("user.email", equalTo(jake.email()));

        String renamed = jake.username() + "_2";
        String newToken = given().header("Authorization", jake.auth()).contentType(ContentType.JSON)
                .body(Map.of("user", Map.of("username", renamed)))
                .put("/user").then().statusCode(200)
                .body("user.username", equalTo(renamed))
                .body("user.bio", equalTo("I like to skateboard"))
                .extract().path("user.token");
        given().header("Authorization", "Token " + newToken).get("/user").then().statusCode(200)
                .body("user.username", equalTo(renamed));
        given().header("Authorization", anna.auth()).get("/profiles/" + renamed).then().statusCode(200)
                .body("profile.following", equalTo(true));
        given().get("/profiles/" + jake.username()).then().statusCode(404);

        Map<String, Object> clear = new HashMap<>();
        clear.put("bio", null);
        clear.put("image", "");
        given().header("Authorization", jake.auth()).contentType(ContentType.JSON).body(Map.of("user", clear))
                .put("/user").then().statusCode(200).body("user.bio", nullValue()).body("user.image", nullValue());
    }

    @Test
    void anUpdateAnswersWithTheCallersTokenUnlessItNoLongerNamesThemRight() {
        Users.Registered jake = Users.register();
        String sameToken = put(jake, Map.of("bio", "skates")).statusCode(200).extract().path("user.token");
        assertEquals(jake.token(), sameToken, "a bio change keeps the caller's token, as GET /api/user does");

        String renamed = jake.username() + "_r";
        String renamedToken = put(jake, Map.of("username", renamed)).statusCode(200).extract().path("user.token");
        assertNotEquals(jake.token(), renamedToken);
        assertEquals(renamed, usernameClaim(renamedToken), "a new username is signed into a fresh token");

        // the old token still proves who jake is, but names him by his old username: a fresh one
        String refreshed = put(jake, Map.of("image", "https://i.example.com/j.png")).statusCode(200).extract().path("user.token");
        assertNotEquals(jake.token(), refreshed);
        assertEquals(renamed, usernameClaim(refreshed));
        given().header("Authorization", "Token " + refreshed).get("/user").then().statusCode(200)
                .body("user.image", equalTo("https://i.example.com/j.png"));
    }

    private static String usernameClaim(String token) {
        return TestTokens.claims(token).getString(Caller.USERNAME_CLAIM);
    }

    @Test
    void aNewPasswordReplacesTheOldOne() {
        Users.Registered jake = Users.register();
        given().header("Authorization", jake.auth()).contentType(ContentType.JSON)
                .body(Map.of("user", Map.of("password", "a brand new password"))).put("/user").then().statusCode(200);
        post("/users/login", Map.of("user", Map.of("email", jake.email(), "password", PASSWORD))).statusCode(401);
        post("/users/login", Map.of("user", Map.of("email", jake.email(), "password", "a brand new password"))).statusCode(200);
    }

    @Test
    void badUpdatesAre422() {
        Users.Registered jake = Users.register();
        Users.Registered anna = Users.register();
        put(jake, Map.of("email", anna.email())).statusCode(422).body("errors.body", contains("email has already been taken"));
        put(jake, Map.of("username", anna.username().toUpperCase())).statusCode(422)
                .body("errors.body", contains("username has already been taken"));
        put(jake, Map.of("username", "")).statusCode(422).body("errors.body", contains("username must be 1 to 40 characters long"));
        put(jake, Map.of("email", "nope")).statusCode(422).body("errors.body", contains("email is invalid"));
        put(jake, Map.of("image", "javascript:alert(1)")).statusCode(422).body("errors.body", contains("image must be an http(s) URL"));
        put(jake, Map.of("bio", 12)).statusCode(422).body("errors.body", contains("bio has the wrong type"));
        put(jake, Map.of("password", "short")).statusCode(422);
        Map<String, Object> nullName = new HashMap<>();
        nullName.put("username", null);
        put(jake, nullName).statusCode(422).body("errors.body", contains("username can't be blank"));
        given().contentType(ContentType.JSON).body(Map.of("user", Map.of("bio", "x"))).put("/user").then().statusCode(401);
        given().header("Authorization", jake.auth()).get("/user").then().statusCode(200)
                .body("user.username", equalTo(jake.username())).body("user.email", equalTo(jake.email()));
    }

    private static io.restassured.response.ValidatableResponse put(Users.Registered who, Map<String, Object> changes) {
        return given().header("Authorization", who.auth()).contentType(ContentType.JSON)
                .body(Map.of("user", changes)).put("/user").then();
    }
}

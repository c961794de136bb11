package dev.conduit.user;

import dev.conduit.localstack.testing.ConduitTestResource;
import dev.conduit.localstack.testing.Crowd;
import dev.conduit.localstack.testing.Crowd.Answer;
import dev.conduit.user.repository.UserRepository;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static dev.conduit.user.Users.PASSWORD;
import static dev.conduit.user.Users.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crowds at one account or one name: registrations and renames racing for a username or an
 * email, one user following many at once. Never a 5xx, on the embedded MongoDB imitation too: the
 * unique indexes decide, and the losers get the RealWorld 422.
 */
@QuarkusTest
@WithTestResource(ConduitTestResource.class)
class UserConcurrencyTest {

    private static final Duration DB = Duration.ofSeconds(10);

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Inject
    UserRepository users;

    @Test
    void registrationsRacingForOneUsernameAndOneEmailHaveOneWinnerEachAndTheRestA422() {
        String username = unique("wanted");
        String email = unique("wanted") + "@example.com";

        // even requests want the username, odd ones the email (in another case: the keys are case-insensitive)
        List<Answer> answers = Crowd.run(60, i -> Crowd.bounded().contentType(ContentType.JSON)
                .body(Map.of("user", i % 2 == 0
                        ? Map.of("username", i % 4 == 0 ? username : username.toUpperCase(), "email", unique("e") + "@example.com",
                                "password", PASSWORD)
                        : Map.of("username", unique("n"), "email", i % 4 == 1 ? email : email.toUpperCase(), "password", PASSWORD)))
                .post("/users"));

        assertNo5xx(answers);
        List<Answer> forName = answers.stream().filter(a -> a.index() % 2 == 0).toList();
        List<Answer> forEmail = answers.stream().filter(a -> a.index() % 2 == 1).toList();
        assertEquals(Map.of(201, 1L, 422, 29L), Crowd.statuses(forName), () -> "e.g. " + Crowd.samples(forName, s -> s != 422));
        assertEquals(Map.of(201, 1L, 422, 29L), Crowd.statuses(forEmail), () -> "e.g. " + Crowd.samples(forEmail, s -> s != 422));
        forName.stream().filter(a -> a.status() == 422).forEach(a -> assertEquals(
                List.of("username has already been taken"), JsonPath.from(a.body()).getList("errors.body"), a.body()));
        forEmail.stream().filter(a -> a.status() == 422).forEach(a -> assertEquals(
                List.of("email has already been taken"), JsonPath.from(a.body()).getList("errors.body"), a.body()));

        Answer nameWinner = forName.stream().filter(a -> a.status() == 201).findFirst().orElseThrow();
        given().get("/profiles/" + username).then().statusCode(200)
                .body("profile.username", equalTo(JsonPath.from(nameWinner.body()).getString("user.username")));
        Answer emailWinner = forEmail.stream().filter(a -> a.status() == 201).findFirst().orElseThrow();
        given().contentType(ContentType.JSON).body(Map.of("user", Map.of("email", email, "password", PASSWORD)))
                .post("/users/login").then().statusCode(200)
                .body("user.username", equalTo(JsonPath.from(emailWinner.body()).getString("user.username")));
        assertEquals(1, users.count("usernameKey", username.toLowerCase()).await().atMost(DB));
        assertEquals(1, users.count("emailKey", email.toLowerCase()).await().atMost(DB));
    }

    @Test
    void usersRenamingThemselvesToOneNameAtOnceHaveOneWinner() {
        List<Users.Registered> crowd = IntStream.range(0, 24).mapToObj(i -> Users.register()).toList();
        String wanted = unique("renamed");
        String wantedEmail = unique("renamed") + "@example.com";

        // the first half wants the name, the second half the email
        List<Answer> answers = Crowd.run(crowd.size(), i -> Crowd.bounded().header("Authorization", crowd.get(i).auth())
                .contentType(ContentType.JSON)
                .body(Map.of("user", i < 12 ? Map.of("username", wanted, "bio", "mine " + i) : Map.of("email", wantedEmail)))
                .put("/user"));

        assertNo5xx(answers);
        List<Answer> forName = answers.subList(0, 12);
        List<Answer> forEmail = answers.subList(12, 24);
        assertEquals(Map.of(200, 1L, 422, 11L), Crowd.statuses(forName), () -> "e.g. " + Crowd.samples(forName, s -> s != 422));
        assertEquals(Map.of(200, 1L, 422, 11L), Crowd.statuses(forEmail), () -> "e.g. " + Crowd.samples(forEmail, s -> s != 422));
        forName.stream().filter(a -> a.status() == 422).forEach(a -> assertEquals(
                List.of("username has already been taken"), JsonPath.from(a.body()).getList("errors.body"), a.body()));
        forEmail.stream().filter(a -> a.status() == 422).forEach(a -> assertEquals(
                List.of("email has already been taken"), JsonPath.from(a.body()).getList("errors.body"), a.body()));

        Answer winner = forName.stream().filter(a -> a.status() == 200).findFirst().orElseThrow();
        given().get("/profiles/" + wanted).then().statusCode(200).body("profile.bio", equalTo("mine " + winner.index()));
        // the losers kept their names, with nothing half-applied
        forName.stream().filter(a -> a.status() == 422).forEach(a -> given().get("/profiles/" + crowd.get(a.index()).username())
                .then().statusCode(200).body("profile.bio", equalTo(null)));
        assertEquals(1, users.count("usernameKey", wanted.toLowerCase()).await().atMost(DB));
        assertEquals(1, users.count("emailKey", wantedEmail.toLowerCase()).await().atMost(DB));
    }

    @Test
    void oneUserFollowingManyAtOnceFollowsEachOnceAndRacingUnfollowsLeaveAConsistentState() {
        Users.Registered jake = Users.register();
        List<Users.Registered> others = IntStream.range(0, 24).mapToObj(i -> Users.register()).toList();

        // every follow sent twice at once, like a double click
        List<Answer> follows = Crowd.run(others.size() * 2, i -> Crowd.bounded().header("Authorization", jake.auth())
                .post("/profiles/" + others.get(i % others.size()).username() + "/follow"));

        assertNo5xx(follows);
        assertEquals(Map.of(200, 48L), Crowd.statuses(follows), () -> "e.g. " + Crowd.samples(follows, s -> s != 200));
        follows.forEach(a -> assertEquals(true, JsonPath.from(a.body()).getBoolean("profile.following")));
        var me = users.findByUsername(jake.username()).await().atMost(DB);
        assertEquals(24, me.following.size());
        assertEquals(24, Set.copyOf(me.following).size(), "each followed once");
        assertEquals(1 + 24, me.version, "one version, and one event, per follow");
        others.forEach(o -> given().header("Authorization", jake.auth()).get("/profiles/" + o.username())
                .then().statusCode(200).body("profile.following", equalTo(true)));

        // the first half unfollowed while the second half is followed again: twelve stay
        List<Answer> mixed = Crowd.run(others.size() * 2, i -> {
            int other = i % others.size();
            var request = Crowd.bounded().header("Authorization", jake.auth());
            String path = "/profiles/" + others.get(other).username() + "/follow";
            return other < 12 ? request.delete(path) : request.post(path);
        });
        assertNo5xx(mixed);
        assertEquals(Map.of(200, 48L), Crowd.statuses(mixed), () -> "e.g. " + Crowd.samples(mixed, s -> s != 200));
        var after = users.findByUsername(jake.username()).await().atMost(DB);
        assertEquals(12, after.following.size());
        assertEquals(12, Set.copyOf(after.following).size());
        assertEquals(1 + 24 + 12, after.version, "one version per effective change, none for a repeat");
        for (int i = 0; i < others.size(); i++) {
            given().header("Authorization", jake.auth()).get("/profiles/" + others.get(i).username())
                    .then().statusCode(200).body("profile.following", equalTo(i >= 12));
        }
    }

    private static void assertNo5xx(List<Answer> answers) {
        assertTrue(answers.stream().noneMatch(a -> a.status() >= 500),
                () -> "no 5xx: " + Crowd.statuses(answers) + ", e.g. " + Crowd.samples(answers, s -> s >= 500));
    }
}

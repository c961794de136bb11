package dev.conduit.systemtests;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A downstream killed mid-test: its routes fail fast with the envelope, the others keep working. */
class ResilienceIT {

    @Test
    void aDeadServiceIs503OnItsRoutesOnlyAndRecoversAfterRestart() {
        JourneyIT.User jake = JourneyIT.register("res");
        String slug = jake.as().body(Map.of("article", Map.of("title", "Resilient", "description", "d", "body", "b")))
                .post("/articles").then().statusCode(201).extract().path("article.slug");

        SharedPlatform.get().stopService("comment-service");
        try {
            long start = System.nanoTime();
            int status = given(SharedPlatform.api()).get("/articles/" + slug + "/comments").then()
                    .body("errors.body", hasSize(1)).extract().statusCode();
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(status == 503 || status == 504, "status " + status);
            assertTrue(seconds < 10, "answered after " + seconds + " s");
            given(SharedPlatform.api()).get("/articles/" + slug).then().statusCode(200);
            given(SharedPlatform.api()).get("/tags").then().statusCode(200);
            jake.as().get("/user").then().statusCode(200);
        } finally {
            SharedPlatform.get().startService("comment-service");
        }
        JourneyIT.eventually(() -> given(SharedPlatform.api()).get("/articles/" + slug + "/comments").statusCode() == 200);
        jake.as().contentType(ContentType.JSON).body(Map.of("comment", Map.of("body", "back again")))
                .post("/articles/" + slug + "/comments").then().statusCode(200);
    }
}

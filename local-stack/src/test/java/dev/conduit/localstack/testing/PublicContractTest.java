package dev.conduit.localstack.testing;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker itself: it reads the real document, and it fails on every kind of drift. */
class PublicContractTest {

    private final PublicContract contract = PublicContract.load();

    @Test
    void theDocumentSaysWhichOperationsNeedAToken() {
        // RealWorld's 19 and Conduit's extensions: trending articles and tags, the two live streams
        assertEquals(23, contract.tokenRequired().size(), contract.tokenRequired().toString());
        assertTrue(contract.tokenRequired().get(new PublicContract.Operation("GET", "/live/feed")));
        assertFalse(contract.tokenRequired().get(new PublicContract.Operation("GET", "/live/articles/{slug}/comments")));
        assertFalse(contract.tokenRequired().get(new PublicContract.Operation("GET", "/trending/articles")));
        assertFalse(contract.tokenRequired().get(new PublicContract.Operation("GET", "/trending/tags")));
        assertTrue(contract.tokenRequired().get(new PublicContract.Operation("GET", "/articles/feed")));
        assertTrue(contract.tokenRequired().get(new PublicContract.Operation("DELETE", "/articles/{slug}/comments/{id}")));
        assertFalse(contract.tokenRequired().get(new PublicContract.Operation("GET", "/articles/{slug}")));
        assertFalse(contract.tokenRequired().get(new PublicContract.Operation("POST", "/users/login")));
        assertEquals("token is missing, invalid or expired", contract.unauthorizedMessage());
    }

    @Path("/articles")
    static class Agrees {
        @GET
        @Path("/feed")
        @Authenticated
        public void feed() {
        }

        @GET
        @Path("{slug}")
        public void get(@PathParam("slug") String slug) {
        }

        @DELETE
        @Path("/{slug}/comments/{id: \\d+}")
        @Authenticated
        public void deleteComment() {
        }

    }

    @Path("/internal/articles")
    static class Internal {
        @GET
        @Path("by-slug/{slug}")
        public void notPublic() {
        }
    }

    @Path("/articles")
    static class Disagrees {
        @GET
        @Path("/feed")
        public void feedWithoutToken() {
        }

        @GET
        @Path("/{slug}")
        @Authenticated
        public void articleOnlyForMembers() {
        }

        @POST
        @Path("/{slug}/share")
        public void notInTheDocument() {
        }
    }

    @Test
    void resourcesThatFollowTheDocumentPass() {
        assertEquals(List.of(), contract.mismatches(Agrees.class, Internal.class));
    }

    @Test
    void everyKindOfDriftIsReported() {
        List<String> found = contract.mismatches(Disagrees.class);
        assertEquals(3, found.size(), found.toString());
        assertTrue(found.stream().anyMatch(m -> m.contains("GET /articles/feed") && m.contains("not @Authenticated")), found.toString());
        assertTrue(found.stream().anyMatch(m -> m.contains("GET /articles/{slug}") && m.contains("needs no token")), found.toString());
        assertTrue(found.stream().anyMatch(m -> m.contains("POST /articles/{slug}/share") && m.contains("not an operation")), found.toString());
    }
}

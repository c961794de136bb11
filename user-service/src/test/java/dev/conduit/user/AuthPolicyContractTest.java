package dev.conduit.user;

import dev.conduit.localstack.testing.PublicContract;
import dev.conduit.support.security.Callers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * This service's resources follow the public OpenAPI document: {@code @Authenticated} exactly on
 * the operations that have {@code security} there, nothing public that the document lacks, and the
 * document's one 401 message.
 */
class AuthPolicyContractTest {

    private final PublicContract contract = PublicContract.load();

    @Test
    void resourcesDeclareTheDocumentsTokenPolicy() {
        assertEquals(List.of(), contract.mismatches(dev.conduit.user.rest.UserResource.class, dev.conduit.user.rest.ProfileResource.class, dev.conduit.user.rest.InternalUserResource.class,
                dev.conduit.user.rest.InternalKeysResource.class));
    }

    @Test
    void the401MessageIsTheDocumentsOne() {
        assertEquals(contract.unauthorizedMessage(), Callers.INVALID_TOKEN);
    }
}

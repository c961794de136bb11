package dev.conduit.gateway.proxy;

import dev.conduit.gateway.http.ErrorResponses;
import dev.conduit.localstack.testing.PublicContract;
import dev.conduit.localstack.testing.PublicContract.Operation;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gateway's route table says what the public OpenAPI document says: the same operations, and a
 * token REQUIRED exactly where the document has {@code security}; and the one 401 message.
 */
class RouteTableContractTest {

    private final PublicContract contract = PublicContract.load();

    @Test
    void everyOperationAndItsTokenPolicyComeFromTheDocument() {
        Map<String, Boolean> routes = new TreeMap<>();
        for (ApiRoute route : RouteTable.routes()) {
            routes.put(new Operation(route.method().name(), route.pattern()).toString(), route.auth() == AuthPolicy.REQUIRED);
        }
        Map<String, Boolean> documented = new TreeMap<>();
        contract.tokenRequired().forEach((op, required) -> documented.put(op.toString(), required));
        assertEquals(documented, routes);
    }

    @Test
    void the401MessageIsTheDocumentsOne() {
        assertEquals(contract.unauthorizedMessage(), ErrorResponses.UNAUTHORIZED);
    }
}

package dev.conduit.gateway;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/** Requests to the gateway's management interface (health, metrics), on its own test port. */
final class Management {

    private Management() {
    }

    static RequestSpecification given() {
        // Quarkus writes the port it bound (test-port 0 = any free one) back into the configuration
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return RestAssured.given().baseUri("http://127.0.0.1").port(port);
    }
}

package dev.conduit.support.health;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The broker check connects as the service's channels do: same address, same authentication. */
class KafkaConnectionCheckTest {

    @Test
    void theAdminClientGetsTheServicesSecuritySettings() {
        Map<String, Object> kafka = Map.of(
                "bootstrap.servers", "conduit-kafka-bootstrap:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"post-service\" password=\"p\";",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", "/run/secrets/kafka-ca/ca.crt",
                // consumer settings Quarkus adds to the same map: no AdminClient setting
                "group.id", "post-service");
        Map<String, Object> admin = KafkaConnectionCheck.adminConfig(kafka, Duration.ofMillis(1500));
        for (String key : kafka.keySet()) {
            if (!key.equals("group.id")) {
                assertEquals(kafka.get(key), admin.get(key), key);
            }
        }
        assertFalse(admin.containsKey("group.id"));
        assertEquals("readiness-check", admin.get("client.id"));
        assertEquals(1500, admin.get("request.timeout.ms"));
    }

    @Test
    void theLocalDefaultsMakeAPlaintextClient() {
        // what the shared defaults give without KAFKA_* variables: PLAINTEXT, the SASL and trust
        // store keys present but empty; the client must accept them (it connects lazily)
        Map<String, Object> local = Map.of(
                "bootstrap.servers", "127.0.0.1:9",
                "security.protocol", "PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "",
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", "");
        try (Admin admin = Admin.create(KafkaConnectionCheck.adminConfig(local, Duration.ofMillis(200)))) {
            assertFalse(admin.metrics().isEmpty());
        }
    }
}

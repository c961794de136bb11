package dev.conduit.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The checks catch what they claim to: each test breaks one thing in a real rendered overlay and
 * expects a violation that names the broken object.
 */
class CheckerSelfTest {

    // ---- strict validation --------------------------------------------------------------------

    @Test
    void misspeltFieldIsFoundWithItsPath() {
        Manifests m = edit("overlays/prod", "Deployment", "post-service", d -> {
            ObjectNode container = container(d);
            container.set("readinesProbe", container.remove("readinessProbe"));
        });
        expect(m.problems, "Deployment conduit/post-service", "unknown field [spec.template.spec.containers[0].readinesProbe]");
        expect(Policies.probes(m), "Deployment conduit/post-service container post-service", "no readinessProbe");
    }

    @Test
    void misspeltFieldDeepInAStrimziResourceIsFound() {
        Manifests m = edit("overlays/prod", "Kafka", "conduit", k -> ((ObjectNode) k.at("/spec/kafka/listeners/0")).put("tsl", false));
        expect(m.problems, "Kafka conduit/conduit", "spec.kafka.listeners[0].tsl");
    }

    @Test
    void quotedNumberIsAWrongType() {
        Manifests m = edit("overlays/local", "Deployment", "gateway",
                d -> ((ObjectNode) container(d).at("/ports/0")).put("containerPort", "8080"));
        expect(m.problems, "Deployment conduit/gateway", "wrong type at spec.template.spec.containers[0].ports[0].containerPort");
    }

    @Test
    void bareNumberWhereTheApiWantsAStringIsAWrongType() {
        Manifests m = edit("overlays/local", "ConfigMap", "user-service-config",
                c -> ((ObjectNode) c.get("data")).set("QUARKUS_HTTP_PORT", IntNode.valueOf(8081)));
        expect(m.problems, "ConfigMap conduit/user-service-config", "wrong type at data.QUARKUS_HTTP_PORT");
    }

    @Test
    void missingRequiredFieldIsFound() {
        Manifests m = edit("overlays/local", "StatefulSet", "mongodb", s -> container(s).remove("name"));
        expect(m.problems, "StatefulSet conduit/mongodb", "missing required field spec.template.spec.containers[0].name");
    }

    @Test
    void unknownApiVersionIsAnUnknownKind() {
        Manifests m = edit("overlays/local", "Deployment", "gateway", d -> d.put("apiVersion", "apps/v1beta1"));
        expect(m.problems, "Deployment conduit/gateway", "unknown kind 'apps/v1beta1/Deployment'");
    }

    // ---- policies -----------------------------------------------------------------------------

    @Test
    void selectorMatchingNothingIsFound() {
        Manifests m = edit("overlays/prod", "Service", "post-service", s -> ((ObjectNode) s.at("/spec/selector")).put("app", "post-servce"));
        expect(Policies.selectors(m), "Service conduit/post-service", "matches no pod template");
    }

    @Test
    void missingLivenessProbeIsFound() {
        Manifests m = edit("overlays/prod", "Deployment", "gateway", d -> container(d).remove("livenessProbe"));
        expect(Policies.probes(m), "Deployment conduit/gateway container gateway", "no livenessProbe");
    }

    @Test
    void latestAndMissingTagsAreFound() {
        Manifests latest = edit("overlays/local", "Deployment", "comment-service", d -> container(d).put("image", "conduit/comment-service:latest"));
        expect(Policies.pinnedImages(latest), "Deployment conduit/comment-service container comment-service", "`latest`");
        Manifests untagged = edit("overlays/local", "StatefulSet", "mongodb", s -> container(s).put("image", "mongo"));
        expect(Policies.pinnedImages(untagged), "StatefulSet conduit/mongodb container mongodb", "has no tag");
    }

    @Test
    void privilegeEscalationIsFound() {
        Manifests m = edit("overlays/local", "Job", "mongodb-rs-init",
                j -> ((ObjectNode) container(j).get("securityContext")).put("allowPrivilegeEscalation", true));
        expect(Policies.hardening(m), "Job conduit/mongodb-rs-init container rs-init", "allowPrivilegeEscalation is not false");
    }

    @Test
    void missingMemoryLimitIsFound() {
        Manifests m = edit("overlays/local", "Deployment", "user-service",
                d -> ((ObjectNode) container(d).at("/resources/limits")).remove("memory"));
        expect(Policies.resources(m), "Deployment conduit/user-service container user-service", "no memory limit");
    }

    @Test
    void undocumentedSecretIsFound() {
        Manifests m = edit("overlays/local", "Deployment", "user-service",
                d -> ((ObjectNode) d.at("/spec/template/spec/volumes/0/secret")).put("secretName", "conduit-jwt-keys"));
        expect(Policies.references(m, ServiceContract.documentedSecrets()), "Deployment conduit/user-service volume jwt",
                "Secret conduit-jwt-keys is neither in the manifests nor created by hand");
    }

    @Test
    void missingConfigurationKeyIsFound() {
        Manifests m = edit("overlays/prod", "ConfigMap", "comment-service-config", c -> ((ObjectNode) c.get("data")).remove("POST_SERVICE_URL"));
        expect(ServiceChecks.configuration(m, ServiceContract.table()), "Deployment conduit/comment-service",
                "reads POST_SERVICE_URL");
    }

    @Test
    void serviceUrlPointingNowhereIsFound() {
        Manifests m = edit("overlays/prod", "ConfigMap", "gateway-config",
                c -> ((ObjectNode) c.get("data")).put("USER_SERVICE_URL", "http://user-service:8090"));
        expect(ServiceChecks.configuration(m, ServiceContract.table()), "Deployment conduit/gateway container gateway",
                "Service user-service has no port 8090");
    }

    @Test
    void signingKeysOutsideUserServiceAreFound() {
        Manifests m = edit("overlays/prod", "Deployment", "post-service", d -> ((ArrayNode) d.at("/spec/template/spec/volumes"))
                .addObject().put("name", "jwt").putObject("secret").put("secretName", "conduit-jwt"));
        expect(ServiceChecks.configuration(m, ServiceContract.table()), "Deployment conduit/post-service volume jwt",
                "only user-service may hold the signing keys");
    }

    @Test
    void aKeySetProjectedInPartIsFound() {
        Manifests m = edit("overlays/prod", "Deployment", "user-service", d -> ((ObjectNode) d.at("/spec/template/spec/volumes/0/secret"))
                .putArray("items").addObject().put("key", "jwt-private.pem").put("path", "jwt-private.pem"));
        expect(ServiceChecks.configuration(m, ServiceContract.table()), "Deployment conduit/user-service volume jwt",
                "mount it whole");
    }

    @Test
    void aKeySetMountedWithSubPathIsFound() {
        Manifests m = edit("overlays/prod", "Deployment", "user-service",
                d -> ((ObjectNode) container(d).at("/volumeMounts/0")).put("subPath", "jwt-private.pem"));
        expect(ServiceChecks.configuration(m, ServiceContract.table()), "Deployment conduit/user-service container user-service",
                "subPath");
    }

    @Test
    void aJwksUrlNotAtUserServicesApiIsFound() {
        Manifests m = edit("overlays/prod", "ConfigMap", "gateway-config",
                c -> ((ObjectNode) c.get("data")).put("JWT_JWKS_URL", "http://user-service:9000/internal/jwks"));
        expect(ServiceChecks.configuration(m, ServiceContract.table()), "Deployment conduit/gateway container gateway",
                "JWT_JWKS_URL=http://user-service:9000/internal/jwks reaches the management port of Service user-service");
        Manifests other = edit("overlays/prod", "ConfigMap", "comment-service-config",
                c -> ((ObjectNode) c.get("data")).put("JWT_JWKS_URL", "http://post-service:8082/internal/jwks"));
        expect(ServiceChecks.configuration(other, ServiceContract.table()), "Deployment conduit/comment-service container comment-service",
                "JWT_JWKS_URL points at post-service, expected user-service");
    }

    @Test
    void topicReplicatedMoreThanTheBrokersIsFound() {
        Manifests m = edit("overlays/local", "KafkaTopic", "conduit.posts", t -> ((ObjectNode) t.get("spec")).put("replicas", 3));
        expect(Policies.kafka(m, java.util.Set.of()), "KafkaTopic conduit/conduit.posts", "replicas 3 but cluster conduit has 1 broker");
    }

    @Test
    void undeclaredTopicIsFound() {
        Manifests m = Kustomize.manifests("overlays/local");
        expect(Policies.kafka(m, java.util.Set.of("conduit.dlq.user-service")), "topic conduit.dlq.user-service",
                "has no KafkaTopic");
    }

    @Test
    void replicaSetSizeMismatchIsFound() {
        Manifests m = edit("overlays/prod", "Job", "mongodb-rs-init", j -> {
            for (JsonNode env : container(j).get("env")) {
                if (env.get("name").asText().equals("MONGODB_REPLICAS")) {
                    ((ObjectNode) env).put("value", "1");
                }
            }
        });
        expect(Policies.mongodb(m), "Job conduit/mongodb-rs-init container rs-init", "MONGODB_REPLICAS=1 but StatefulSet conduit/mongodb has 3");
    }

    @Test
    void replicasUnderAnAutoscalerAreFound() {
        Manifests m = edit("overlays/prod", "Deployment", "gateway", d -> ((ObjectNode) d.get("spec")).put("replicas", 2));
        expect(Policies.selectors(m), "Deployment conduit/gateway", "sets spec.replicas although HorizontalPodAutoscaler");
    }

    @Test
    void secondPublicEntryIsFound() {
        Manifests m = edit("overlays/prod", "Service", "user-service", s -> ((ObjectNode) s.get("spec")).put("type", "NodePort"));
        expect(Policies.exposure(m, "gateway"), "Service conduit/user-service", "type NodePort");
    }

    @Test
    void singleReplicaInProductionIsFound() {
        Manifests m = edit("overlays/prod", "HorizontalPodAutoscaler", "post-service", h -> ((ObjectNode) h.get("spec")).put("minReplicas", 1));
        expect(Policies.production(m, ServiceContract.services()), "Deployment conduit/post-service", "runs 1 replica(s) at least");
    }

    @Test
    void objectOutsideTheNamespaceIsFound() {
        Manifests m = edit("overlays/prod", "HorizontalPodAutoscaler", "gateway", h -> ((ObjectNode) h.get("metadata")).remove("namespace"));
        expect(Policies.namespaces(m), "HorizontalPodAutoscaler gateway", "not in namespace conduit");
    }

    // ---- management interface, readiness, shutdown ---------------------------------------------

    @Test
    void probeOnThePublicPortIsFound() {
        Manifests m = edit("overlays/prod", "Deployment", "user-service",
                d -> ((ObjectNode) container(d).at("/readinessProbe/httpGet")).put("port", "http"));
        expect(QuarkusChecks.management(m, ServiceContract.table()), "Deployment conduit/user-service container user-service",
                "readinessProbe targets port http; health is served on port management only");
    }

    @Test
    void startupProbeOnLivenessIsFound() {
        Manifests m = edit("overlays/local", "Deployment", "comment-service",
                d -> ((ObjectNode) container(d).at("/startupProbe/httpGet")).put("path", "/q/health/live"));
        expect(QuarkusChecks.management(m, ServiceContract.table()), "Deployment conduit/comment-service container comment-service",
                "startupProbe calls /q/health/live; it must call /q/health/started");
    }

    @Test
    void probeOnTheAggregatedGroupIsFound() {
        Manifests m = edit("overlays/prod", "Deployment", "gateway",
                d -> ((ObjectNode) container(d).at("/readinessProbe/httpGet")).put("path", "/q/health/group/platform"));
        expect(Policies.probes(m), "Deployment conduit/gateway container gateway", "a probe calls /q/health/group/platform");
    }

    @Test
    void missingManagementPortAndHostAreFound() {
        Manifests m = edit("overlays/prod", "Deployment", "post-service", d -> ((ArrayNode) container(d).get("ports")).remove(1));
        expect(QuarkusChecks.management(m, ServiceContract.table()), "Deployment conduit/post-service container post-service",
                "declares no container port named management");
        Manifests host = edit("overlays/prod", "ConfigMap", "post-service-config",
                c -> ((ObjectNode) c.get("data")).put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1"));
        expect(QuarkusChecks.management(host, ServiceContract.table()), "Deployment conduit/post-service container post-service",
                "QUARKUS_MANAGEMENT_HOST is 127.0.0.1");
    }

    @Test
    void serviceWithoutManagementPortIsFound() {
        Manifests m = edit("overlays/local", "Service", "comment-service", s -> ((ArrayNode) s.at("/spec/ports")).remove(1));
        expect(QuarkusChecks.management(m, ServiceContract.table()), "Service conduit/comment-service", "has no port named management");
    }

    @Test
    void managementUrlToThePublicPortIsFound() {
        Manifests m = edit("overlays/prod", "ConfigMap", "gateway-config",
                c -> ((ObjectNode) c.get("data")).put("POST_SERVICE_MANAGEMENT_URL", "http://post-service:8082"));
        expect(ServiceChecks.configuration(m, ServiceContract.table()), "Deployment conduit/gateway container gateway",
                "POST_SERVICE_MANAGEMENT_URL=http://post-service:8082 reaches port 8082 of Service post-service, which is not its management port");
        Manifests api = edit("overlays/prod", "ConfigMap", "gateway-config",
                c -> ((ObjectNode) c.get("data")).put("USER_SERVICE_URL", "http://user-service:9000"));
        expect(ServiceChecks.configuration(api, ServiceContract.table()), "Deployment conduit/gateway container gateway",
                "USER_SERVICE_URL=http://user-service:9000 reaches the management port of Service user-service");
    }

    @Test
    void ingressToTheManagementPortIsFound() {
        Manifests m = edit("overlays/prod", "Ingress", "gateway",
                i -> ((ObjectNode) i.at("/spec/rules/0/http/paths/0/backend/service/port")).put("name", "management"));
        expect(Policies.exposure(m, "gateway"), "Ingress conduit/gateway path /api", "routes to the management port 9000");
        Manifests health = edit("overlays/local", "Ingress", "gateway",
                i -> ((ObjectNode) i.at("/spec/rules/0/http/paths/2")).put("path", "/q/health/ready"));
        expect(Policies.exposure(health, "gateway"), "Ingress conduit/gateway path /q/health/ready", "never public");
    }

    @Test
    void gracePeriodShorterThanSleepPlusDrainIsFound() {
        Manifests m = edit("overlays/prod", "Deployment", "comment-service",
                d -> ((ObjectNode) d.at("/spec/template/spec")).put("terminationGracePeriodSeconds", 20));
        expect(QuarkusChecks.shutdown(m, ServiceContract.table()), "Deployment conduit/comment-service container comment-service",
                "terminationGracePeriodSeconds 20 < preStop sleep 5 s + drain");
        Manifests longer = edit("overlays/prod", "Deployment", "gateway",
                d -> ((ObjectNode) container(d).at("/lifecycle/preStop/sleep")).put("seconds", 15));
        expect(QuarkusChecks.shutdown(longer, ServiceContract.table()), "Deployment conduit/gateway container gateway",
                "terminationGracePeriodSeconds 30 < preStop sleep 15 s");
    }

    @Test
    void preStopThatIsNoSleepIsFound() {
        Manifests exec = edit("overlays/local", "Deployment", "user-service", d -> {
            ObjectNode preStop = (ObjectNode) container(d).at("/lifecycle/preStop");
            preStop.remove("sleep");
            preStop.putObject("exec").putArray("command").add("sleep").add("5");
        });
        expect(QuarkusChecks.shutdown(exec, ServiceContract.table()), "Deployment conduit/user-service container user-service",
                "a native image has no shell and no sleep binary");
        Manifests none = edit("overlays/local", "Deployment", "post-service", d -> container(d).remove("lifecycle"));
        expect(QuarkusChecks.shutdown(none, ServiceContract.table()), "Deployment conduit/post-service container post-service",
                "no lifecycle.preStop");
    }

    @Test
    void quarkusDurationsAreReadAsQuarkusReadsThem() {
        assertEquals(java.time.Duration.ofSeconds(20), ServiceContract.duration("20s"));
        assertEquals(java.time.Duration.ofSeconds(20), ServiceContract.duration("20"));
        assertEquals(java.time.Duration.ofSeconds(20), ServiceContract.duration("PT20S"));
        assertEquals(java.time.Duration.ofMillis(1500), ServiceContract.duration("1500ms"));
        assertEquals(java.time.Duration.ofMinutes(1), ServiceContract.duration("1M"));
        assertNull(ServiceContract.duration("twenty seconds"));
    }

    @Test
    void sleepWithoutSecondsIsAMissingField() {
        Manifests m = edit("overlays/local", "Deployment", "gateway",
                d -> ((ObjectNode) container(d).at("/lifecycle/preStop/sleep")).remove("seconds"));
        expect(m.problems, "Deployment conduit/gateway", "missing required field spec.template.spec.containers[0].lifecycle.preStop.sleep.seconds");
    }

    @Test
    void slowConsumerGroupRecoveryIsFound() {
        Manifests defaults = edit("overlays/prod", "Kafka", "conduit",
                k -> ((ObjectNode) k.at("/spec/kafka/config")).remove("group.initial.rebalance.delay.ms"));
        expect(Policies.consumerGroups(defaults), "Kafka conduit/conduit",
                "group.initial.rebalance.delay.ms is 3000 ms (Kafka's default)");
        Manifests rejected = edit("overlays/local", "Kafka", "conduit",
                k -> ((ObjectNode) k.at("/spec/kafka/config")).put("group.min.session.timeout.ms", 10000));
        expect(Policies.consumerGroups(rejected), "Kafka conduit/conduit",
                "refuses the consumers' 6000 ms session");
    }

    // ---- Kafka: authentication, ACLs, credentials ----------------------------------------------

    @Test
    void forgedWriteToAnotherServicesTopicIsFound() {
        // the example: post-service's user could write a UserProfileChanged into conduit.users
        Manifests m = edit("overlays/prod", "KafkaUser", "post-service",
                u -> acl(u, "topic", "conduit.users", "literal", "Write"));
        expect(kafkaAcls(m), "KafkaUser conduit/post-service",
                "may Write topic conduit.users, whose owner is user-service (events/README.md): it could forge");
    }

    @Test
    void readOfWhatItDoesNotConsumeAndAnotherServicesGroupAreFound() {
        Manifests m = edit("overlays/local", "KafkaUser", "comment-service", u -> {
            acl(u, "topic", "conduit.dlq.post-service", "literal", "Read");
            acl(u, "group", "post-service", "literal", "Read");
        });
        expect(kafkaAcls(m), "KafkaUser conduit/comment-service", "may Read topic conduit.dlq.post-service, which it does not consume");
        expect(kafkaAcls(m), "KafkaUser conduit/comment-service", "may Read group 'post-service' (literal); its one group is comment-service");
    }

    @Test
    void aGrantTheServiceNeedsIsFoundMissing() {
        Manifests m = edit("overlays/replicated-local", "KafkaUser", "comment-service", u -> {
            ArrayNode acls = (ArrayNode) u.at("/spec/authorization/acls");
            for (int i = acls.size() - 1; i >= 0; i--) {
                String type = acls.get(i).at("/resource/type").asText();
                String name = acls.get(i).at("/resource/name").asText();
                if (type.equals("group") || name.equals("conduit.dlq.comment-service")) {
                    acls.remove(i);
                }
            }
        });
        expect(kafkaAcls(m), "KafkaUser conduit/comment-service", "cannot Read group comment-service, the consumer group of comment-service");
        expect(kafkaAcls(m), "KafkaUser conduit/comment-service", "cannot Write topic conduit.dlq.comment-service, its dead-letter topic");
    }

    @Test
    void prefixClusterAndWildcardGrantsOfAServiceAreFound() {
        Manifests m = edit("overlays/prod", "KafkaUser", "user-service", u -> {
            acl(u, "topic", "conduit.", "prefix", "Write");
            acl(u, "cluster", null, null, "IdempotentWrite");
            acl(u, "topic", "*", "literal", "All");
        });
        expect(kafkaAcls(m), "KafkaUser conduit/user-service", "Write on topics 'conduit.' (prefix); a service's ACLs name each topic literally");
        expect(kafkaAcls(m), "KafkaUser conduit/user-service", "may IdempotentWrite on the cluster; no service needs a cluster ACL");
        expect(kafkaAcls(m), "KafkaUser conduit/user-service", "All on topics '*' (literal)");
    }

    @Test
    void outsideConsumerThatWritesReadsADeadLetterTopicOrCoversAServiceGroupIsFound() {
        Manifests m = edit("overlays/prod", "KafkaUser", "outside-consumer", u -> {
            acl(u, "topic", "conduit.posts", "literal", "Write");
            acl(u, "topic", "conduit.dlq.post-service", "literal", "Read");
            acl(u, "group", "post", "prefix", "Read");
        });
        expect(kafkaAcls(m), "KafkaUser conduit/outside-consumer", "may Write topic 'conduit.posts' (literal); a user that is no service's is read-only");
        expect(kafkaAcls(m), "KafkaUser conduit/outside-consumer", "may Read topic 'conduit.dlq.post-service' (literal); outside consumers read only");
        expect(kafkaAcls(m), "KafkaUser conduit/outside-consumer", "covers post-service's consumer group");
    }

    @Test
    void theKafkaStreamsUserAsRenderedHasWhatItNeedsAndNoMore() {
        for (String target : List.of("base", "overlays/local", "overlays/prod")) {
            List<String> trending = streamsAcls(Kustomize.manifests(target)).stream().filter(v -> v.contains("trending")).toList();
            assertTrue(trending.isEmpty(), target + ": " + trending);
        }
    }

    @Test
    void aStreamsPrefixOtherThanItsApplicationIdAndTransactionsElsewhereAreFound() {
        Manifests m = edit("overlays/prod", "KafkaUser", "trending-service", u -> {
            acl(u, "topic", "conduit", "prefix", "Write");
            acl(u, "topic", "conduit-trending", "prefix", "AlterConfigs");
            acl(u, "transactionalId", "conduit", "prefix", "Write");
            acl(u, "group", "conduit", "prefix", "Read");
        });
        expect(streamsAcls(m), "KafkaUser conduit/trending-service", "Write on topics 'conduit' (prefix); a service's ACLs name each topic literally");
        expect(streamsAcls(m), "KafkaUser conduit/trending-service", "may AlterConfigs topics 'conduit-trending' (prefix)");
        expect(streamsAcls(m), "KafkaUser conduit/trending-service", "its transactional ids are prefix conduit-trending");
        expect(streamsAcls(m), "KafkaUser conduit/trending-service", "may Read group 'conduit' (prefix); its one group is conduit-trending");
        Manifests post = edit("overlays/local", "KafkaUser", "post-service", u -> {
            acl(u, "transactionalId", "conduit-trending", "prefix", "Write");
            acl(u, "topic", "conduit-trending", "prefix", "Read");
        });
        expect(streamsAcls(post), "KafkaUser conduit/post-service", "may Write a transactional id; no service uses transactions");
        expect(streamsAcls(post), "KafkaUser conduit/post-service", "Read on topics 'conduit-trending' (prefix); a service's ACLs name each topic literally");
    }

    @Test
    void aGrantTheStreamsApplicationNeedsIsFoundMissing() {
        Manifests m = edit("overlays/replicated-local", "KafkaUser", "trending-service", u -> {
            ArrayNode acls = (ArrayNode) u.at("/spec/authorization/acls");
            for (int i = acls.size() - 1; i >= 0; i--) {
                String type = acls.get(i).at("/resource/type").asText();
                String name = acls.get(i).at("/resource/name").asText();
                if (type.equals("transactionalId") || name.equals("conduit.comments")) {
                    acls.remove(i);
                } else if (type.equals("topic") && name.equals("conduit-trending")) {
                    ArrayNode ops = (ArrayNode) acls.get(i).get("operations");
                    for (int j = ops.size() - 1; j >= 0; j--) {
                        if (ops.get(j).asText().equals("Create")) {
                            ops.remove(j);
                        }
                    }
                }
            }
        });
        expect(streamsAcls(m), "KafkaUser conduit/trending-service", "cannot Write and Describe its transactional ids (prefix conduit-trending)");
        expect(streamsAcls(m), "KafkaUser conduit/trending-service", "cannot Create its internal topics (prefix conduit-trending");
        expect(streamsAcls(m), "KafkaUser conduit/trending-service", "cannot Read topic conduit.comments, which trending-service consumes");
    }

    @Test
    void kafkaUserForTheGatewayAndTheV1beta2OperationFieldAreFound() {
        Manifests gateway = edit("overlays/local", "KafkaUser", "outside-consumer", u -> ((ObjectNode) u.get("metadata")).put("name", "gateway"));
        expect(kafkaAcls(gateway), "KafkaUser conduit/gateway", "gateway does not talk to Kafka");
        Manifests singular = edit("overlays/local", "KafkaUser", "user-service", u -> {
            ObjectNode rule = (ObjectNode) u.at("/spec/authorization/acls/0");
            rule.remove("operations");
            rule.put("operation", "Write");
        });
        expect(kafkaAcls(singular), "KafkaUser conduit/user-service", "uses `operation`, which kafka.strimzi.io/v1 does not have");
    }

    @Test
    void kafkaWithoutAuthorizationOrAnOpenListenerIsFound() {
        Manifests m = edit("overlays/prod", "Kafka", "conduit", k -> {
            ((ObjectNode) k.at("/spec/kafka")).remove("authorization");
            ObjectNode listener = (ObjectNode) k.at("/spec/kafka/listeners/0");
            listener.remove("authentication");
            listener.put("tls", false);
        });
        expect(KafkaAccessChecks.cluster(m), "Kafka conduit/conduit", "spec.kafka.authorization is not set");
        expect(KafkaAccessChecks.cluster(m), "Kafka conduit/conduit listener tls (9093)", "no authentication");
        expect(KafkaAccessChecks.cluster(m), "Kafka conduit/conduit listener tls (9093)", "tls is false");
        expect(KafkaAccessChecks.cluster(m), "KafkaUser conduit/user-service", "authentication scram-sha-512, which no listener");
        Manifests noOperator = edit("overlays/local", "Kafka", "conduit", k -> ((ObjectNode) k.at("/spec/entityOperator")).remove("userOperator"));
        expect(KafkaAccessChecks.cluster(noOperator), "Kafka conduit/conduit", "spec.entityOperator.userOperator is not set");
    }

    @Test
    void podWithAnotherUsersKafkaCredentialsIsFound() {
        Manifests m = edit("overlays/prod", "Deployment", "post-service", d -> {
            for (JsonNode env : container(d).get("env")) {
                if (env.get("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")) {
                    ((ObjectNode) env.at("/valueFrom/secretKeyRef")).put("name", "comment-service");
                }
            }
        });
        expect(kafkaCredentials(m), "Deployment conduit/post-service container post-service env KAFKA_SASL_JAAS_CONFIG",
                "reads the credentials of KafkaUser comment-service");
        expect(kafkaCredentials(m), "Deployment conduit/post-service container post-service",
                "KAFKA_SASL_JAAS_CONFIG comes from Secret comment-service key sasl.jaas.config; expected its own KafkaUser's post-service");
        Manifests gateway = edit("overlays/local", "Deployment", "gateway", d -> {
            ObjectNode env = ((ArrayNode) container(d).withArray("env")).addObject().put("name", "KAFKA_SASL_JAAS_CONFIG");
            env.putObject("valueFrom").putObject("secretKeyRef").put("name", "outside-consumer").put("key", "sasl.jaas.config");
        });
        expect(kafkaCredentials(gateway), "Deployment conduit/gateway container gateway env KAFKA_SASL_JAAS_CONFIG",
                "reads the credentials of KafkaUser outside-consumer");
    }

    @Test
    void plaintextClientOrATrustStoreFromAnotherSecretIsFound() {
        Manifests plain = edit("overlays/local", "ConfigMap", "post-service-config",
                c -> ((ObjectNode) c.get("data")).put("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"));
        expect(kafkaCredentials(plain), "Deployment conduit/post-service container post-service",
                "KAFKA_SECURITY_PROTOCOL is PLAINTEXT; listener tls needs SASL_SSL");
        Manifests trust = edit("overlays/prod", "Deployment", "user-service", d -> {
            for (JsonNode volume : d.at("/spec/template/spec/volumes")) {
                if (volume.get("name").asText().equals("kafka-ca")) {
                    ((ObjectNode) volume.get("secret")).put("secretName", "conduit-clients-ca-cert");
                }
            }
        });
        expect(kafkaCredentials(trust), "Deployment conduit/user-service container user-service",
                "KAFKA_SSL_TRUSTSTORE_LOCATION reads /run/secrets/kafka-ca/ca.crt from Secret conduit-clients-ca-cert; it must come from conduit-cluster-ca-cert");
    }

    // ---- network policies ---------------------------------------------------------------------

    @Test
    void policyWhoseSelectorMissesItsPodIsFound() {
        // default deny still holds, so the typo cuts post-service off entirely
        Manifests m = edit("overlays/prod", "NetworkPolicy", "post-service",
                np -> ((ObjectNode) np.at("/spec/podSelector/matchLabels")).put("app", "post-svc"));
        expect(NetworkPolicyTest.compare(m, NetworkPolicyTest.expected(m)),
                "in the design but blocked: gateway -> post-service:8082/TCP", "");
        expect(NetworkPolicyTest.compare(m, NetworkPolicyTest.expected(m)),
                "in the design but blocked: post-service -> mongodb:27017/TCP", "");
        expect(Policies.selectors(m), "NetworkPolicy conduit/post-service", "matches no pod");
    }

    @Test
    void missingDefaultDenyIsFound() {
        Manifests m = edit("overlays/prod", "NetworkPolicy", "default-deny-all",
                np -> ((ObjectNode) np.get("spec")).putObject("podSelector").putObject("matchLabels").put("app", "nothing"));
        expect(Policies.production(m, ServiceContract.services()), "no default-deny NetworkPolicy", "");
    }

    @Test
    void pathOpenedAtBothEndsIsFound() {
        Manifests gatewayEgress = edit("overlays/prod", "NetworkPolicy", "gateway", np -> {
            ObjectNode rule = ((ArrayNode) np.at("/spec/egress")).addObject();
            rule.putArray("to").addObject().putObject("podSelector").putObject("matchLabels").put("app", "mongodb");
        });
        // one end alone is not enough: MongoDB's own policy still refuses the gateway
        assertTrue(NetworkPolicyTest.compare(gatewayEgress, NetworkPolicyTest.expected(gatewayEgress)).isEmpty());
        Manifests both = editAgain(gatewayEgress, "NetworkPolicy", "mongodb",
                np -> ((ArrayNode) np.at("/spec/ingress/0/from/0/podSelector/matchExpressions/0/values")).add("gateway"));
        expect(NetworkPolicyTest.compare(both, NetworkPolicyTest.expected(both)),
                "allowed but not in the design: gateway -> mongodb:27017/TCP", "");
    }

    @Test
    void blockedDesignPathIsFound() {
        Manifests m = edit("overlays/local", "NetworkPolicy", "post-service",
                np -> ((ArrayNode) np.at("/spec/ingress/0/from")).remove(1));
        expect(NetworkPolicyTest.compare(m, NetworkPolicyTest.expected(m)),
                "in the design but blocked: comment-service -> post-service:8082/TCP", "");
    }

    @Test
    void podSelectorOnlyPeerDoesNotAdmitAnotherNamespace() {
        Manifests m = edit("overlays/local", "NetworkPolicy", "gateway", np -> {
            ObjectNode from = (ObjectNode) np.at("/spec/ingress/0/from/0");
            from.remove("podSelector");
            from.set("namespaceSelector", new ObjectNode(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance));
        });
        expect(NetworkPolicyTest.compare(m, NetworkPolicyTest.expected(m)), "allowed but not in the design: other/intruder -> gateway:8080/TCP", "");
    }

    @Test
    void managementPortOpenedToTheIngressControllerIsFound() {
        Manifests m = edit("overlays/prod", "NetworkPolicy", "gateway",
                np -> ((ArrayNode) np.at("/spec/ingress/0/ports")).addObject().put("protocol", "TCP").put("port", 9000));
        expect(NetworkPolicyTest.managementPorts(m), "reaches the management port: ingress-nginx/controller -> gateway:9000/TCP", "");
        expect(NetworkPolicyTest.compare(m, NetworkPolicyTest.expected(m)),
                "allowed but not in the design: ingress-nginx/controller -> gateway:9000/TCP", "");
    }

    @Test
    void managementPortOpenedToAnotherServiceIsFound() {
        // comment-service may call post-service's API; opening the rule's ports to 9000 at both ends is caught
        Manifests ingress = edit("overlays/local", "NetworkPolicy", "post-service",
                np -> ((ArrayNode) np.at("/spec/ingress/0/ports")).addObject().put("protocol", "TCP").put("port", 9000));
        Manifests both = editAgain(ingress, "NetworkPolicy", "comment-service", np -> {
            for (JsonNode rule : np.at("/spec/egress")) {
                if (rule.at("/to/0/podSelector/matchLabels/app").asText().equals("post-service")) {
                    ((ArrayNode) rule.get("ports")).addObject().put("protocol", "TCP").put("port", 9000);
                }
            }
        });
        expect(NetworkPolicyTest.managementPorts(both), "reaches the management port: comment-service -> post-service:9000/TCP", "");
    }

    @Test
    void gatewayCutOffFromAManagementPortIsFound() {
        Manifests m = edit("overlays/prod", "NetworkPolicy", "user-service", np -> ((ArrayNode) np.at("/spec/ingress")).remove(1));
        expect(NetworkPolicyTest.managementPorts(m), "cannot reach the management port: gateway -> user-service:9000/TCP", "");
    }

    // ---- Dockerfiles --------------------------------------------------------------------------

    @Test
    void rootUserAndLatestBaseAreFound() {
        List<String> problems = DockerfileTest.check(List.of("FROM registry.example/base:latest", "EXPOSE 8080",
                "USER root", "ENTRYPOINT [\"./application\"]"), 8080, false);
        expect(problems, "base image 'registry.example/base:latest'", "`latest`");
        expect(problems, "numeric non-root USER", "has root");
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Renders the target, applies the edit to one object, and reads the result as the checks do. */
    static Manifests edit(String target, String kind, String name, Consumer<ObjectNode> edit) {
        try {
            List<JsonNode> docs = Manifests.YAML.readValues(Manifests.YAML.getFactory().createParser(Kustomize.render(target)),
                    JsonNode.class).readAll();
            boolean found = false;
            StringBuilder yaml = new StringBuilder();
            for (JsonNode doc : docs) {
                if (doc.path("kind").asText().equals(kind) && doc.path("metadata").path("name").asText().equals(name)) {
                    edit.accept((ObjectNode) doc);
                    found = true;
                }
                yaml.append(Manifests.YAML.writeValueAsString(doc));
            }
            assertTrue(found, kind + " " + name + " is not in " + target);
            return Manifests.parse(target + " (edited)", yaml.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A second edit of an already edited target. */
    static Manifests editAgain(Manifests edited, String kind, String name, Consumer<ObjectNode> edit) {
        StringBuilder yaml = new StringBuilder();
        try {
            for (Manifests.Manifest o : edited.all) {
                JsonNode doc = o.raw().deepCopy();
                if (o.typed().getKind().equals(kind) && o.typed().getMetadata().getName().equals(name)) {
                    edit.accept((ObjectNode) doc);
                }
                yaml.append(Manifests.YAML.writeValueAsString(doc));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Manifests.parse(edited.target, yaml.toString());
    }

    private static List<String> kafkaAcls(Manifests m) {
        return KafkaAccessChecks.acls(m, KafkaAccessChecks.needs(ServiceContract.services()), ServiceContract.topicOwners(),
                ServiceContract.services());
    }

    /**
     * The ACL checks with trending-service as the Kafka Streams application its KafkaUser is written
     * for (application id conduit-trending, exactly once, reading conduit.posts and conduit.comments),
     * whatever its application.properties says, so these tests hold the checks, not the service.
     */
    private static List<String> streamsAcls(Manifests m) {
        Map<String, KafkaAccessChecks.Needs> needs = new java.util.LinkedHashMap<>(KafkaAccessChecks.needs(ServiceContract.services()));
        needs.put("trending-service", KafkaAccessChecks.Needs.streams("trending-service",
                java.util.Set.of("conduit.posts", "conduit.comments"), "conduit-trending", true));
        return KafkaAccessChecks.acls(m, needs, ServiceContract.topicOwners(), ServiceContract.services());
    }

    private static List<String> kafkaCredentials(Manifests m) {
        return KafkaAccessChecks.credentials(m, KafkaAccessChecks.needs(ServiceContract.services()));
    }

    /** Appends one ACL rule to a KafkaUser; a null name or pattern is left out (the cluster has neither). */
    private static void acl(ObjectNode user, String type, String name, String patternType, String operation) {
        ObjectNode rule = ((ArrayNode) user.at("/spec/authorization/acls")).addObject();
        ObjectNode resource = rule.putObject("resource").put("type", type);
        if (name != null) {
            resource.put("name", name);
        }
        if (patternType != null) {
            resource.put("patternType", patternType);
        }
        rule.putArray("operations").add(operation);
    }

    private static ObjectNode container(ObjectNode workload) {
        return (ObjectNode) workload.at("/spec/template/spec/containers/0");
    }

    private static void expect(List<String> violations, String object, String problem) {
        for (String v : violations) {
            if (v.contains(object) && v.contains(problem)) {
                return;
            }
        }
        fail("expected a violation naming '" + object + "' with '" + problem + "', got:\n  " + String.join("\n  ", violations));
    }
}

package dev.conduit.k8s;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/** The platform's rules, checked on the base and on every overlay as rendered. */
class PolicyTest {

    private static final String PUBLIC_SERVICE = "gateway";

    @TestFactory
    Stream<DynamicNode> everyTargetFollowsThePolicies() {
        return Kustomize.targets().stream().map(target -> {
            List<DynamicNode> checks = new ArrayList<>();
            checks.add(check(target, "every object is in the conduit namespace", Policies::namespaces));
            checks.add(check(target, "images are pinned (a tag that is not latest, or a digest)", Policies::pinnedImages));
            checks.add(check(target, "serving containers have liveness and readiness probes", Policies::probes));
            checks.add(check(target, "Quarkus apps serve health and metrics on the management port, and every probe uses it",
                    m -> QuarkusChecks.management(m, ServiceContract.table())));
            checks.add(check(target, "graceful shutdown: the grace period holds the preStop sleep, Quarkus' drain and a margin",
                    m -> QuarkusChecks.shutdown(m, ServiceContract.table())));
            checks.add(check(target, "every container has cpu and memory requests and limits", Policies::resources));
            checks.add(check(target, "every pod runs non-root, read-only, without privileges or capabilities", Policies::hardening));
            checks.add(check(target, "selectors are stable and match pod templates", Policies::selectors));
            checks.add(check(target, "referenced ConfigMaps and Secrets exist or are created by hand",
                    m -> Policies.references(m, ServiceContract.documentedSecrets())));
            checks.add(check(target, "each workload has its own ServiceAccount without API access", Policies::serviceAccounts));
            checks.add(check(target, "only the gateway is exposed, through the Ingress", m -> Policies.exposure(m, PUBLIC_SERVICE)));
            checks.add(check(target, "stateful data is on persistent volumes", Policies::storage));
            checks.add(check(target, "Kafka nodes and topics fit together and every topic in use is declared",
                    m -> Policies.kafka(m, ServiceContract.topics(ServiceContract.table().keySet()))));
            checks.add(check(target, "the broker lets a restarted consumer have its partitions within seconds", Policies::consumerGroups));
            checks.add(check(target, "Kafka authenticates every client (TLS, SCRAM) and authorizes with ACLs", KafkaAccessChecks::cluster));
            checks.add(check(target, "Kafka ACLs: each service writes its own topics and reads what it consumes; others only read",
                    m -> KafkaAccessChecks.acls(m, KafkaAccessChecks.needs(ServiceContract.services()), ServiceContract.topicOwners(),
                            ServiceContract.services())));
            checks.add(check(target, "every pod talks to Kafka as its own KafkaUser",
                    m -> KafkaAccessChecks.credentials(m, KafkaAccessChecks.needs(ServiceContract.services()))));
            checks.add(check(target, "the MongoDB replica set and its init Job agree", Policies::mongodb));
            checks.add(check(target, "every service gets every setting it reads, pointing at what exists",
                    m -> ServiceChecks.configuration(m, ServiceContract.table())));
            // prod and every overlay built on it (prod-observability)
            if (target.startsWith("overlays/prod")) {
                checks.add(check(target, "production: replicas, autoscaling, disruption budgets, registry images, TLS",
                        m -> Policies.production(m, ServiceContract.services())));
            }
            return DynamicContainer.dynamicContainer(target, checks);
        });
    }

    static DynamicTest check(String target, String rule, Function<Manifests, List<String>> policy) {
        return DynamicTest.dynamicTest(rule, () -> {
            List<String> violations = policy.apply(Kustomize.manifests(target));
            if (!violations.isEmpty()) {
                fail("[" + target + "] " + rule + ": " + violations.size() + " violation(s)\n  "
                        + String.join("\n  ", violations));
            }
        });
    }
}

package dev.conduit.k8s;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Monitoring and tracing as rendered, on every target that has them: the PodMonitor scrapes every
 * service's management port; each alert and each dashboard query parses and uses only metrics of the
 * catalogue in docs/operating.md; each alert has its severity, annotations and runbook section; beside
 * the collector every service has tracing on.
 */
class MonitoringTest {

    @TestFactory
    Stream<DynamicNode> everyTargetMonitorsWhatItRuns() {
        String doc = MonitoringChecks.operatingDoc();
        return Kustomize.targets().stream().map(target -> DynamicContainer.dynamicContainer(target, List.of(
                PolicyTest.check(target, "the PodMonitor scrapes each service's management port on /q/metrics",
                        m -> MonitoringChecks.podMonitors(m, ServiceContract.services())),
                PolicyTest.check(target, "every alert parses, uses known metrics and has severity, summary, description and runbook",
                        m -> MonitoringChecks.alerts(m, doc)),
                PolicyTest.check(target, "every dashboard parses and each panel queries known metrics",
                        m -> MonitoringChecks.dashboards(m, doc)),
                PolicyTest.check(target, "beside the otel-collector every service traces (CONDUIT_TRACING=true)",
                        m -> MonitoringChecks.tracing(m, ServiceContract.services())))));
    }

    /** Without a target that includes them, the components would never be rendered or checked. */
    @Test
    void theObservabilityComponentsAreRenderedByAnOverlay() {
        boolean monitored = false;
        boolean traced = false;
        for (String overlay : Kustomize.overlays()) {
            Manifests m = Kustomize.manifests(overlay);
            monitored |= !m.of(PodMonitor.class).isEmpty() && !m.of(PrometheusRule.class).isEmpty();
            traced |= m.find(Deployment.class, "otel-collector").isPresent();
        }
        assertTrue(monitored, "no overlay includes components/monitoring");
        assertTrue(traced, "no overlay includes components/otel-collector");
    }

    /**
     * The catalogue is what the code registers: each conduit.* meter of the services' sources is
     * listed with the name Prometheus gives it, its type and its labels, and no row names a meter that
     * no code registers.
     */
    @Test
    void theCatalogueListsExactlyTheMetersTheCodeRegisters() {
        Meters.Reading reading = Meters.read(Meters.sources());
        assertTrue(reading.meters().stream().anyMatch(meter -> meter.series().equals("conduit_consumer_lag")),
                "the reader found no meter of service-support: " + reading.meters());
        assertEquals(List.of(), Meters.compare(MonitoringChecks.metricRows(MonitoringChecks.operatingDoc()), reading));
    }

    /** The catalogue the checks read is there, and a histogram gives its series. */
    @Test
    void theCatalogueListsTheServicesMetrics() {
        var catalogue = MonitoringChecks.catalogue(MonitoringChecks.operatingDoc());
        assertTrue(catalogue.get("conduit_consumer_lag").containsAll(List.of("group", "topic", "partition")));
        assertTrue(catalogue.get("conduit_event_apply_age_seconds_bucket").contains("le"));
        assertFalse(catalogue.containsKey("conduit_event_apply_age_seconds"), "a histogram has no bare series");
    }
}

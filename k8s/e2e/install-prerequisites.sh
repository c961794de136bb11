#!/usr/bin/env bash
# What the manifests need in the cluster, at the versions of versions.env: the ingress-nginx
# controller (its kind manifest, checked against its SHA-256) and the Strimzi operator watching
# namespace conduit. No Prometheus Operator: the overlays this job applies leave out
# components/monitoring, the one user of its CRDs.
. "$(dirname "$0")/lib.sh"

manifest=$(mktemp)
curl -fsSL --retry 3 -o "$manifest" \
  "https://raw.githubusercontent.com/kubernetes/ingress-nginx/$INGRESS_NGINX_COMMIT/deploy/static/provider/kind/deploy.yaml"
echo "$INGRESS_NGINX_KIND_MANIFEST_SHA256  $manifest" | sha256sum --check --quiet \
  || die "ingress-nginx's kind manifest is not the file versions.env pins"
kubectl apply -f "$manifest"

# Strimzi's RoleBindings go into the watched namespace, so it comes first
kubectl apply -f "$K8S/base/namespace.yaml"
helm install strimzi oci://quay.io/strimzi-helm/strimzi-kafka-operator --version "$STRIMZI_VERSION" \
  --namespace strimzi --create-namespace --set "watchNamespaces={$NS}" --wait --timeout 5m

# (its admission-webhook Jobs delete themselves when done, so there is nothing to wait for there;
# deploy.sh retries its apply while the webhook is not ready yet)
kubectl -n ingress-nginx wait pod --selector=app.kubernetes.io/component=controller \
  --for=condition=Ready --timeout=180s
log "ingress-nginx $INGRESS_NGINX_VERSION and Strimzi $STRIMZI_VERSION are up"

#!/usr/bin/env bash
# The platform from one overlay: its Secrets (as many MongoDB hosts as the overlay has members),
# then the manifests, the way k8s/README.md does it by hand.
#   deploy.sh OVERLAY
. "$(dirname "$0")/lib.sh"
overlay=${1:?usage: deploy.sh OVERLAY}
rendered=$(render "$overlay")
# the replica set's size, for the connection strings: the one StatefulSet's replicas
members=$(awk '/^kind: StatefulSet/ { s = 1 } /^---/ { s = 0 } s && /^  replicas:/ { print $2; exit }' <<<"$rendered")
[ -n "$members" ] || die "overlays/$overlay has no MongoDB StatefulSet"

"$K8S/create-secrets.sh" "$members"
# ingress-nginx's admission webhook may still be starting: try the apply again
for attempt in 1 2 3; do
  kubectl apply -k "$K8S/overlays/$overlay" && break
  [ "$attempt" -lt 3 ] || die "kubectl apply -k overlays/$overlay"
  sleep 10
done

log "overlays/$overlay applied with $members MongoDB member(s); k8s/e2e/wait-ready.sh waits for it"

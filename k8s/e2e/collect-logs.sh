#!/usr/bin/env bash
# After a failure: everything that tells why, into DIR, for the workflow to upload. Never fails.
#   collect-logs.sh DIR
. "$(dirname "$0")/lib.sh"
set +e
dir=${1:?usage: collect-logs.sh DIR}
mkdir -p "$dir"
kubectl get nodes,all,pvc,ingress,networkpolicy,kafka,kafkanodepool,kafkatopic,kafkauser -A -o wide >"$dir/resources.txt" 2>&1
kubectl get events -A --sort-by=.lastTimestamp >"$dir/events.txt" 2>&1
kubectl describe nodes >"$dir/nodes.txt" 2>&1
for ns in "$NS" strimzi ingress-nginx; do
  kubectl -n "$ns" describe pods >"$dir/$ns-describe-pods.txt" 2>&1
  for pod in $(kubectl -n "$ns" get pods -o name 2>/dev/null); do
    name=${pod#pod/}
    kubectl -n "$ns" logs "$pod" --all-containers --prefix --timestamps >"$dir/$ns-$name.log" 2>&1
    kubectl -n "$ns" logs "$pod" --all-containers --prefix --timestamps --previous >"$dir/$ns-$name.previous.log" 2>/dev/null \
      || rm -f "$dir/$ns-$name.previous.log"
  done
done
kind export logs "$dir/kind" --name "$CLUSTER" >/dev/null 2>&1
log "logs in $dir: $(find "$dir" -type f | wc -l) files"
exit 0

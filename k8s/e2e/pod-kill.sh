#!/usr/bin/env bash
# One pod of each service deleted, one after the other, under a small steady load through the
# Ingress; then the API must answer again. The load is bounded: about 10 requests a second, at most
# 3000 requests or 5 minutes. MAX_FAILED_REQUESTS (unset: any) is how many of them may fail: 0 where
# every service runs two pods (a deleted pod drains; its twin serves), unset where each runs one
# (the replacement's start is a short outage; only the recovery is required).
. "$(dirname "$0")/lib.sh"
max_failed=${MAX_FAILED_REQUESTS:-}
work=$(mktemp -d)
results=$work/load.txt

load() {
  local i=0 deadline=$((SECONDS + 300)) path code
  while [ "$i" -lt 3000 ] && [ "$SECONDS" -lt "$deadline" ] && [ ! -e "$work/stop" ]; do
    if ((i % 2)); then path=/tags; else path='/articles?limit=5'; fi
    code=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$API$path" || true)
    echo "$(date +%s) ${code:-000} $path" >>"$results"
    i=$((i + 1))
    sleep 0.1
  done
}
load &
loader=$!
trap 'touch "$work/stop"; wait "$loader" 2>/dev/null || true' EXIT
sleep 5

for s in "${SERVICES[@]}"; do
  pod=$(kubectl -n $NS get pods -l "app=$s" --field-selector=status.phase=Running -o jsonpath='{.items[0].metadata.name}')
  [ -n "$pod" ] || die "no running pod of $s"
  log "deleting $pod under load"
  kubectl -n $NS delete pod "$pod" --wait=true --timeout=2m
  kubectl -n $NS rollout status "deployment/$s" --timeout=3m
  sleep 3
done
touch "$work/stop"
wait "$loader" || true

total=$(wc -l <"$results")
failed=$(awk '$2 != 200' "$results" | wc -l)
log "load: $total requests, $failed failed; by status: $(awk '{ print $2 }' "$results" | sort | uniq -c | tr -s ' \n' ' ')"
awk '$2 != 200' "$results" | head -20 >&2
[ "$total" -gt 0 ] || die "the load sent no request"

# recovery: the API answers again, 20 times in a row
for _ in $(seq 1 20); do
  call GET /tags
  [ "$CALL_STATUS" = 200 ] || die "GET /tags answers $CALL_STATUS after the pods were replaced"
done
if [ -n "$max_failed" ] && [ "$failed" -gt "$max_failed" ]; then
  die "$failed requests failed while pods were deleted; at most $max_failed may"
fi
log "pod-kill: every service lost a pod and serves again ($failed of $total requests failed meanwhile)"

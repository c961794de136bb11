#!/usr/bin/env bash
# Waits for every part of the platform, in the order they need each other: Kafka, its topics and users,
# the MongoDB replica set and its init Job, each service's rollout; then until the API answers
# through the Ingress (CONDUIT_API_URL, default http://localhost/api). Any cluster, any overlay.
. "$(dirname "$0")/lib.sh"
kubectl -n $NS wait kafka/conduit --for=condition=Ready --timeout=15m
kubectl -n $NS wait kafkatopic --all --for=condition=Ready --timeout=5m
# each service's KafkaUser: its credentials Secret, which the service's pods wait for
kubectl -n $NS wait kafkauser --all --for=condition=Ready --timeout=5m
kubectl -n $NS rollout status statefulset/mongodb --timeout=10m
kubectl -n $NS wait job/mongodb-rs-init --for=condition=Complete --timeout=10m
for d in "${SERVICES[@]}"; do
  kubectl -n $NS rollout status "deployment/$d" --timeout=5m
done
tags_answer() { call GET /tags; [ "$CALL_STATUS" = 200 ]; }
wait_until 180 "GET $API/tags through the Ingress" tags_answer
log "the platform is up: $(kubectl -n $NS get pods --no-headers | wc -l) pods; $API answers"

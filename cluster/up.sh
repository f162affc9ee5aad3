#!/usr/bin/env bash
# Start the local control plane on 127.0.0.1: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok (fake nodes), Argo Rollouts controller (+ CRDs), the traffic source
# (request metrics of every Ready pod), Prometheus scraping it, Flagger's controller and load
# tester (+ Flagger's and the Gateway API's CRDs), a git server (cluster/gitserver, seeded with the
# GitOps demo's repository) and Flux's source- and kustomize-controller (+ CRDs).
# Waits until /readyz answers, the nodes are Ready and the CRDs are Established.
# Idempotent: components already running are left alone ("already up" when all are).
#
# Env: SWITCHYARD_CLUSTER_DIR (default <repo>/.work/cluster), SWITCHYARD_CACHE,
#      SWITCHYARD_API_PORT (default 6443 if free, else a free port), SWITCHYARD_ETCD_PORT,
#      SWITCHYARD_NODES (3), SWITCHYARD_POD_RUNNING_DELAY_MS (1000),
#      SWITCHYARD_POD_READY_DELAY_MS (1500), SWITCHYARD_POD_DELETE_DELAY_MS (500),
#      SWITCHYARD_NO_BUILD=1 (fail instead of building missing binaries)
set -euo pipefail
CLUSTER_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/cluster.sh
. "$CLUSTER_SRC/lib/cluster.sh"
T0=$(date +%s.%N)

for tool in curl openssl node; do
  command -v "$tool" >/dev/null || die "$tool is needed"
done

missing=0
for b in "$ETCD_BIN" "$KUBE_APISERVER_BIN" "$KUBE_CONTROLLER_MANAGER_BIN" "$KUBE_SCHEDULER_BIN" \
  "$KUBECTL_BIN" "$KWOK_BIN" "$ARGO_ROLLOUTS_BIN" "$ARGO_CRDS_DIR/rollout-crd.yaml" \
  "$PROMETHEUS_BIN" "$TRAFFIC_BIN" "$FLAGGER_BIN" "$FLAGGER_LOADTESTER_BIN" "$FLAGGER_CRDS_DIR/flagger.yaml" \
  "$GITSERVER_BIN" "$FLUX_SOURCE_BIN" "$FLUX_KUSTOMIZE_BIN"; do
  [[ -e "$b" ]] || missing=1
done
if ((missing)); then
  [[ "${SWITCHYARD_NO_BUILD:-}" == 1 ]] && die "binaries missing under $BIN_ROOT: run cluster/build.sh"
  log "binaries missing under $BIN_ROOT: running cluster/build.sh (a cold build takes a while)"
  "$CLUSTER_SRC/build.sh" all
fi

mkdir -p "$DIR"
exec 9>"$DIR/.lock"
flock -w 300 9 || die "another up/down holds $DIR/.lock"

all_running=1
for c in "${COMPONENTS[@]}"; do is_running "$c" || all_running=0; done
if ((all_running)) && [[ -f "$DIR/ports.env" ]]; then
  load_ports
  if api_ready >/dev/null 2>&1; then
    log "already up: https://127.0.0.1:$API_PORT (KUBECONFIG=$KUBECONFIG_OUT)"
    exit 0
  fi
fi

pick_ports
ensure_pki
write_kubeconfigs

start_component etcd
start_component kube-apiserver

# ---- bootstrap objects (all idempotent) ----
kc apply --server-side --field-manager=switchyard-up -f - >/dev/null <<EOF
apiVersion: v1
kind: Namespace
metadata: {name: argo-rollouts}
---
apiVersion: v1
kind: Namespace
metadata: {name: $FLUX_NAMESPACE}
EOF
log "applying Argo Rollouts CRDs ($ARGO_ROLLOUTS_VERSION) with server-side apply"
kc apply --server-side --force-conflicts --field-manager=switchyard-up -f "$ARGO_CRDS_DIR" >/dev/null
log "applying Flagger ($FLAGGER_VERSION) and Gateway API ($GATEWAY_API_VERSION) CRDs with server-side apply"
# (the API server warns about the format names in Flagger's schema that it does not check)
kc apply --server-side --force-conflicts --field-manager=switchyard-up -f "$FLAGGER_CRDS_DIR/flagger.yaml" -f "$FLAGGER_CRDS_DIR/gateway-api" \
  2> >(grep -v '^Warning: unrecognized format' >&2) >/dev/null
# Flux: all of source-controller's kinds (it reconciles every one; kustomize-controller watches
# GitRepository, OCIRepository and Bucket as Kustomization sources) and the Kustomization
log "applying Flux CRDs (source-controller $FLUX_SOURCE_CONTROLLER_VERSION, kustomize-controller $FLUX_KUSTOMIZE_CONTROLLER_VERSION)"
kc apply --server-side --force-conflicts --field-manager=switchyard-up -f "$FLUX_SOURCE_CRDS_DIR" -f "$FLUX_KUSTOMIZE_CRDS_DIR" >/dev/null

nodes_yaml() {
  local i
  for ((i = 0; i < NODE_COUNT; i++)); do
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    type: kwok
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: kwok-node-$i
    kubernetes.io/os: linux
    kubernetes.io/role: agent
    node-role.kubernetes.io/agent: ""
    topology.kubernetes.io/zone: zone-$((i % 3))
EOF
  done
}
nodes_yaml | kc apply --server-side --field-manager=switchyard-up -f - >/dev/null

start_component kube-controller-manager
start_component kube-scheduler
start_component kwok

log "waiting for $NODE_COUNT nodes Ready, CRDs Established, default ServiceAccount"
kc wait --for=condition=Established --timeout=60s -f "$ARGO_CRDS_DIR" -f "$FLAGGER_CRDS_DIR/flagger.yaml" -f "$FLAGGER_CRDS_DIR/gateway-api" -f "$FLUX_SOURCE_CRDS_DIR" -f "$FLUX_KUSTOMIZE_CRDS_DIR" >/dev/null
wait_until "nodes Ready" 90 kc wait --for=condition=Ready --timeout=5s node -l type=kwok
wait_until "serviceaccount default/default" 60 kc get serviceaccount default -n default

start_component argo-rollouts

# ---- metrics: the traffic source, and Prometheus scraping it ----
start_component traffic
start_component prometheus
expose_prometheus

# ---- Flagger: the load tester (its webhooks), then the controller (asks Prometheus) ----
start_component flagger-loadtester
start_component flagger
# ---- GitOps: the git server (with the demo's repository) and Flux's controllers ----
start_component gitserver
[[ -d "$GIT_ROOT/$GITOPS_REPO.git" ]] || seed_git_repo "$GITOPS_REPO" "$CLUSTER_SRC/demo/gitops"
start_component source-controller
start_component kustomize-controller

T1=$(date +%s.%N)
secs=$(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.1f", b - a }')
echo "$(date -u +%FT%TZ) up ${secs}s" >>"$DIR/start-times.log"
cat <<EOF
switchyard local cluster is up in ${secs}s
  API server : https://127.0.0.1:$API_PORT  (Kubernetes $K8S_VERSION)
  kubeconfig : $KUBECONFIG_OUT   contexts: switchyard-local (admin), switchyard-limited (user "limited")
  nodes      : $NODE_COUNT kwok nodes; pods Running after ${POD_RUNNING_DELAY_MS}ms, Ready ${POD_READY_DELAY_MS}ms later
  prometheus : http://127.0.0.1:$PROMETHEUS_PORT  (scrapes the traffic source every $PROMETHEUS_SCRAPE_INTERVAL)${LOADTESTER_PROXY_UNAVAILABLE:+ (no Service: $LOADTESTER_PROXY_UNAVAILABLE)}${LOADTESTER_PROXY_UNAVAILABLE:-; in the cluster $PROMETHEUS_IN_CLUSTER (Service monitoring/prometheus, through the service proxy)}
  flagger    : $FLAGGER_VERSION, http://127.0.0.1:$FLAGGER_PORT/healthz; load tester http://$LOADTESTER_HOST:$LOADTESTER_PORT${LOADTESTER_PROXY_UNAVAILABLE:+ (NOTE: $LOADTESTER_PROXY_UNAVAILABLE)}
  git        : http://127.0.0.1:$GIT_PORT/$GITOPS_REPO.git  (push to it; Flux source-controller + kustomize-controller apply it)
  logs       : $LOG_DIR
  use        : export KUBECONFIG=$KUBECONFIG_OUT
EOF

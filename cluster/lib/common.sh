# shellcheck shell=bash
# Shared paths for cluster/*.sh. Source after setting CLUSTER_SRC (the cluster/ folder).
: "${CLUSTER_SRC:?}"
# shellcheck source=../versions.env
. "$CLUSTER_SRC/versions.env"
REPO_ROOT="$(cd "$CLUSTER_SRC/.." && pwd)"
SWITCHYARD_CACHE="${SWITCHYARD_CACHE:-$HOME/.cache/switchyard}"
SWITCHYARD_CLUSTER_DIR="${SWITCHYARD_CLUSTER_DIR:-$REPO_ROOT/.work/cluster}"
BIN_ROOT="$SWITCHYARD_CACHE/bin"
ETCD_KEY="etcd-$ETCD_VERSION"
K8S_KEY="kubernetes-$K8S_VERSION"
KWOK_KEY="kwok-$KWOK_VERSION"
ARGO_KEY="argo-rollouts-$ARGO_ROLLOUTS_VERSION"
PROMETHEUS_KEY="prometheus-$PROMETHEUS_VERSION"
FLAGGER_KEY="flagger-$FLAGGER_VERSION"
ETCD_BIN="$BIN_ROOT/$ETCD_KEY/etcd"
KUBE_APISERVER_BIN="$BIN_ROOT/$K8S_KEY/kube-apiserver"
KUBE_CONTROLLER_MANAGER_BIN="$BIN_ROOT/$K8S_KEY/kube-controller-manager"
KUBE_SCHEDULER_BIN="$BIN_ROOT/$K8S_KEY/kube-scheduler"
KUBECTL_BIN="$BIN_ROOT/$K8S_KEY/kubectl"
KWOK_BIN="$BIN_ROOT/$KWOK_KEY/kwok"
KWOK_STAGES_DIR="$BIN_ROOT/$KWOK_KEY/stages"
ARGO_ROLLOUTS_BIN="$BIN_ROOT/$ARGO_KEY/rollouts-controller"
ARGO_CRDS_DIR="$BIN_ROOT/$ARGO_KEY/crds"
PROMETHEUS_BIN="$BIN_ROOT/$PROMETHEUS_KEY/prometheus"
FLAGGER_BIN="$BIN_ROOT/$FLAGGER_KEY/flagger"
FLAGGER_LOADTESTER_BIN="$BIN_ROOT/$FLAGGER_KEY/loadtester"
# crds/flagger.yaml (Canary, MetricTemplate, AlertProvider) and crds/gateway-api/*.yaml
FLAGGER_CRDS_DIR="$BIN_ROOT/$FLAGGER_KEY/crds"
FLUX_SOURCE_KEY="source-controller-$FLUX_SOURCE_CONTROLLER_VERSION"
FLUX_KUSTOMIZE_KEY="kustomize-controller-$FLUX_KUSTOMIZE_CONTROLLER_VERSION"
FLUX_SOURCE_BIN="$BIN_ROOT/$FLUX_SOURCE_KEY/source-controller"
FLUX_KUSTOMIZE_BIN="$BIN_ROOT/$FLUX_KUSTOMIZE_KEY/kustomize-controller"
FLUX_SOURCE_CRDS_DIR="$BIN_ROOT/$FLUX_SOURCE_KEY/crds"
FLUX_KUSTOMIZE_CRDS_DIR="$BIN_ROOT/$FLUX_KUSTOMIZE_KEY/crds"
# The traffic source is our own program (cluster/traffic): its binary is keyed by its source's
# hash, so worktrees with different versions of it can share the cache.
TRAFFIC_KEY="traffic-$(cat "$CLUSTER_SRC/traffic/go.mod" "$CLUSTER_SRC/traffic/main.go" | sha256sum | cut -c1-12)"
TRAFFIC_BIN="$BIN_ROOT/$TRAFFIC_KEY/traffic"
GITSERVER_KEY="gitserver-$(cat "$CLUSTER_SRC/gitserver/go.mod" "$CLUSTER_SRC/gitserver/main.go" | sha256sum | cut -c1-12)"
GITSERVER_BIN="$BIN_ROOT/$GITSERVER_KEY/gitserver"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

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
ETCD_BIN="$BIN_ROOT/$ETCD_KEY/etcd"
KUBE_APISERVER_BIN="$BIN_ROOT/$K8S_KEY/kube-apiserver"
KUBE_CONTROLLER_MANAGER_BIN="$BIN_ROOT/$K8S_KEY/kube-controller-manager"
KUBE_SCHEDULER_BIN="$BIN_ROOT/$K8S_KEY/kube-scheduler"
KUBECTL_BIN="$BIN_ROOT/$K8S_KEY/kubectl"
KWOK_BIN="$BIN_ROOT/$KWOK_KEY/kwok"
KWOK_STAGES_DIR="$BIN_ROOT/$KWOK_KEY/stages"
ARGO_ROLLOUTS_BIN="$BIN_ROOT/$ARGO_KEY/rollouts-controller"
ARGO_CRDS_DIR="$BIN_ROOT/$ARGO_KEY/crds"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

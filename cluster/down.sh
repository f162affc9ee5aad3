#!/usr/bin/env bash
# Stop every process cluster/up.sh started (newest first) and remove the cluster state
# (etcd data, certificates, tokens, kubeconfig). Logs are kept in $SWITCHYARD_CLUSTER_DIR/logs
# unless --purge is given.
set -euo pipefail
CLUSTER_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/cluster.sh
. "$CLUSTER_SRC/lib/cluster.sh"

purge=0
[[ "${1:-}" == "--purge" ]] && purge=1

if [[ ! -d "$DIR" ]]; then
  log "nothing to stop ($DIR does not exist)"
  exit 0
fi
exec 9>"$DIR/.lock"
flock -w 300 9 || die "another up/down holds $DIR/.lock"

# clients first (in parallel), then the API server, then etcd
stop_components kustomize-controller source-controller gitserver flagger flagger-loadtester prometheus traffic argo-rollouts kwok kube-scheduler kube-controller-manager kube-apiserver-bare
stop_component kube-apiserver
stop_component etcd

if ((purge)); then
  rm -rf "$DIR"
  log "removed $DIR"
else
  find "$DIR" -mindepth 1 -maxdepth 1 ! -name logs ! -name .lock -exec rm -rf {} +
  log "cluster stopped; state removed, logs kept in $LOG_DIR"
fi

#!/usr/bin/env bash
# A second kube-apiserver on the running local cluster's etcd, under a key prefix of its own: a
# cluster with no CRDs (so no Argo Rollouts), no controllers, and no watch cache, so that watches
# read etcd directly and a resourceVersion etcd has compacted answers 410 Gone. The cluster tests
# use it for those cases; it needs cluster/up.sh first and stops with cluster/down.sh.
#   cluster/bare.sh start   writes $SWITCHYARD_CLUSTER_DIR/bare.kubeconfig (context switchyard-bare)
#   cluster/bare.sh stop
# SWITCHYARD_BARE_AUTH_CONFIG=<file> adds an AuthenticationConfiguration (e.g. a JWT issuer for OIDC).
set -euo pipefail
CLUSTER_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/cluster.sh
. "$CLUSTER_SRC/lib/cluster.sh"

[[ -f "$DIR/ports.env" && -f "$PKI/tokens.csv" ]] || die "no cluster in $DIR: run cluster/up.sh first"
load_ports
BARE_KUBECONFIG="$DIR/bare.kubeconfig"

bare_ready() {
  is_running kube-apiserver-bare || return 1
  curl -fsS --cacert "$PKI/ca.crt" -H "Authorization: Bearer $(token_of switchyard-admin)" "https://127.0.0.1:$BARE_API_PORT/readyz"
}

case "${1:-start}" in
  start)
    if is_running kube-apiserver-bare && [[ -f "$BARE_KUBECONFIG" ]]; then
      echo "$BARE_KUBECONFIG"
      exit 0
    fi
    BARE_API_PORT="$(free_port)"
    auth=()
    [[ -n "${SWITCHYARD_BARE_AUTH_CONFIG:-}" ]] && auth=(--authentication-config="$SWITCHYARD_BARE_AUTH_CONFIG")
    spawn_apiserver kube-apiserver-bare "$BARE_API_PORT" "$PKI/apiserver-bare-certs" \
      --etcd-prefix=/registry-bare --watch-cache=false "${auth[@]}" 1>&2
    wait_until "bare kube-apiserver /readyz" 120 bare_ready 1>&2
    kubeconfig_file "$BARE_KUBECONFIG" switchyard-bare "$BARE_API_PORT" switchyard-admin switchyard-bare default
    echo "$BARE_KUBECONFIG"
    ;;
  stop)
    stop_component kube-apiserver-bare
    rm -f "$BARE_KUBECONFIG"
    ;;
  *) die "usage: $0 start|stop" ;;
esac

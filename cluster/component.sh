#!/usr/bin/env bash
# Stop / start / restart single components of a running local cluster (for tests such as
# "the API server restarts mid-watch"), or show their status.
#   cluster/component.sh status
#   cluster/component.sh restart kube-apiserver
#   cluster/component.sh stop kube-apiserver; ...; cluster/component.sh start kube-apiserver
# Components: etcd kube-apiserver kube-controller-manager kube-scheduler kwok argo-rollouts
#             traffic prometheus flagger flagger-loadtester gitserver source-controller
#             kustomize-controller
# `start` reuses the cluster's ports, certificates and data, and waits until the component
# serves (kube-apiserver: /readyz; etcd: /health; argo-rollouts, traffic, flagger,
# flagger-loadtester, gitserver: /healthz; prometheus: /-/ready; source- and kustomize-controller: /readyz).
set -euo pipefail
CLUSTER_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/cluster.sh
. "$CLUSTER_SRC/lib/cluster.sh"

cmd="${1:-status}"
shift || true
[[ -f "$DIR/ports.env" && -f "$PKI/tokens.csv" ]] || die "no cluster in $DIR: run cluster/up.sh first"
load_ports
names=("$@")
((${#names[@]})) || names=("${COMPONENTS[@]}")
for n in "${names[@]}"; do binary_of "$n" >/dev/null; done

case "$cmd" in
  status)
    for n in "${names[@]}"; do
      if is_running "$n"; then echo "$n running pid=$(pid_of "$n")"; else echo "$n stopped"; fi
    done
    if api_ready >/dev/null 2>&1; then echo "api https://127.0.0.1:$API_PORT ready"; else echo "api https://127.0.0.1:$API_PORT not ready"; fi
    ;;
  stop)
    for n in "${names[@]}"; do stop_component "$n"; done
    ;;
  start)
    for n in "${names[@]}"; do start_component "$n"; done
    ;;
  restart)
    for n in "${names[@]}"; do stop_component "$n"; done
    for n in "${names[@]}"; do start_component "$n"; done
    ;;
  *) die "usage: $0 status|stop|start|restart [component...]" ;;
esac

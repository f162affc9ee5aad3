#!/usr/bin/env bash
# Apply the demo apps (cluster/demo/*.yaml) to the local cluster and drive them into their
# demo states:
#   web            Deployment, 3 revisions (1.0.0 -> 1.1.0 -> 1.2.0), complete
#   app-blue/green blue/green pair; app-prod selects blue, app-preview selects green
#   api-stable/canary  replica-ratio canary 9 + 1 behind Service api
#   checkout       Argo canary, updated to 1.1.0 and Paused at step 1/6 (pause {} after setWeight 20);
#                  its background analysis (Prometheus error rate of the canary) starts at step 2
#   payments       Argo blue/green, updated to 3.1.0, preview up, waiting for promotion
#   inventory      Flagger blue/green (provider kubernetes), updated to 2.1.0: two iterations,
#                  then WaitingPromotion on its confirm-promotion gate (closed) at the load tester
#   search         Flagger canary through the Gateway API (HTTPRoute weights 25 -> 50 %, error
#                  rate from Prometheus), released 1.0.0 -> 1.1.0: Succeeded
#   flagger-loadtester  Service (+ Endpoints, EndpointSlice, placeholder Pod) naming the load
#                  tester on this machine, for the API server's service proxy
#   storefront     (namespace switchyard-gitops) Flux GitOps: a blue/green pair and its Service
#                  applied by kustomize-controller from the local git server; Kustomization Ready
# Idempotent: when the demo namespace is already in its final state, it says so and exits 0.
#   --reset   delete the demo namespace first and start over (done automatically when a
#             previous run was interrupted half-way)
# Uses the kubectl built by cluster/build.sh (fine for scripts; the extension never uses it).
set -euo pipefail
CLUSTER_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/cluster.sh
. "$CLUSTER_SRC/lib/cluster.sh"
NS=switchyard-demo
[[ -f "$KUBECONFIG_OUT" ]] || die "no kubeconfig at $KUBECONFIG_OUT: run cluster/up.sh first"

if [[ "${1:-}" == "--reset" ]]; then
  log "deleting namespace $NS"
  kc delete namespace "$NS" --ignore-not-found --wait=true --timeout=120s >/dev/null
fi

if kc get namespace "$NS" >/dev/null 2>&1; then
  if [[ "$(kc get namespace "$NS" -o 'jsonpath={.metadata.annotations.switchyard\.dev/demo-state}')" == ready ]]; then
    log "demo already applied in namespace $NS (use --reset to start over)"
    exit 0
  fi
  # a half-driven demo (interrupted run): start over rather than re-apply on top of it
  log "namespace $NS exists without a finished demo: deleting it first"
  kc delete namespace "$NS" --wait=true --timeout=120s >/dev/null
fi

# render_demo: the demo manifests with this cluster's addresses filled in (@PROMETHEUS_URL@ in the
# AnalysisTemplate and MetricTemplate, the load tester's address in the Flagger webhooks and its
# Service's endpoints, @GITOPS_REPO_URL@ in the GitOps demo's GitRepository), into $DIR/demo/
render_demo() {
  load_ports
  [[ -n "${PROMETHEUS_URL:-}" ]] || die "no PROMETHEUS_URL in $DIR/ports.env: run cluster/up.sh (it starts Prometheus)"
  [[ -n "${LOADTESTER_URL:-}" ]] || die "no LOADTESTER_URL in $DIR/ports.env: run cluster/down.sh and cluster/up.sh (it starts Flagger's load tester)"
  [[ -n "${GITOPS_REPO_URL:-}" ]] || die "no GITOPS_REPO_URL in $DIR/ports.env: run cluster/down.sh and cluster/up.sh (it starts the git server)"
  rm -rf "$DIR/demo" && mkdir -p "$DIR/demo"
  local f
  for f in "$CLUSTER_SRC"/demo/*.yaml; do
    if [[ "$(basename "$f")" == 05-flagger-loadtester.yaml && -n "$LOADTESTER_PROXY_UNAVAILABLE" ]]; then
      log "no Service flagger-loadtester: $LOADTESTER_PROXY_UNAVAILABLE"
      continue
    fi
    sed -e "s|@PROMETHEUS_URL@|$PROMETHEUS_URL|g" -e "s|@LOADTESTER_URL@|$LOADTESTER_URL|g" \
      -e "s|@LOADTESTER_HOST@|$LOADTESTER_HOST|g" -e "s|\"@LOADTESTER_PORT@\"|$LOADTESTER_PORT|g" \
      -e "s|@GITOPS_REPO_URL@|$GITOPS_REPO_URL|g" "$f" >"$DIR/demo/$(basename "$f")"
  done
}

T0=$(date +%s)
kc apply --server-side --field-manager=switchyard-demo -f "$CLUSTER_SRC/demo/00-namespace.yaml" >/dev/null
wait_until "serviceaccount $NS/default" 60 kc -n "$NS" get serviceaccount default
log "applying demo manifests"
render_demo
# (the load tester's Endpoints are deliberate, see demo/05-flagger-loadtester.yaml)
kc apply --server-side --field-manager=switchyard-demo -f "$DIR/demo/" 2> >(grep -v '^Warning: v1 Endpoints is deprecated' >&2) >/dev/null

# the placeholder Pod of the load tester gets its address (the proxy checks the Endpoints' pod IP)
if [[ -z "$LOADTESTER_PROXY_UNAVAILABLE" ]]; then
  kc -n "$NS" patch pod flagger-loadtester --subresource=status --type=merge \
    -p "{\"status\":{\"podIP\":\"$LOADTESTER_HOST\",\"podIPs\":[{\"ip\":\"$LOADTESTER_HOST\"}]}}" >/dev/null
  wait_until "load tester through the service proxy" 30 \
    kc get --raw "/api/v1/namespaces/$NS/services/$LOADTESTER_SERVICE:http/proxy/healthz"
fi

# --- Flagger: both Initialized, then new images (they run while the Argo steps below do) ---
canary_phase() { # NAME PHASE
  kc -n "$NS" wait "canary.flagger.app/$1" --for="jsonpath={.status.phase}=$2" --timeout=180s >/dev/null
}
set_deployment_image() { # NAME IMAGE
  kc -n "$NS" set image "deployment/$1" "$1=$2" >/dev/null
}
canary_phase inventory Initialized
canary_phase search Initialized
# gates live in the load tester's memory: a demo before this one may have opened inventory's
curl -fsS -X POST -d "{\"name\":\"inventory\",\"namespace\":\"$NS\"}" "$LOADTESTER_URL/gate/close" >/dev/null
log "inventory: updating to 2.1.0 (Flagger blue/green will wait for promotion); search: to 1.1.0 (canary)"
set_deployment_image inventory ghcr.io/example/inventory:2.1.0
set_deployment_image search ghcr.io/example/search:1.1.0

rollout_status() { kc -n "$NS" rollout status "deployment/$1" --timeout=180s >/dev/null; }
wait_rollout() { # NAME JSONPATH VALUE
  kc -n "$NS" wait "rollout/$1" --for="jsonpath={$2}=$3" --timeout=180s >/dev/null
}
set_rollout_image() { # NAME IMAGE
  kc -n "$NS" patch "rollout/$1" --type=json \
    -p "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"$2\"}]" >/dev/null
}

preview_ready() { # the preview ReplicaSet of rollout payments has all replicas ready
  local prev act ready
  prev="$(kc -n "$NS" get rollout payments -o 'jsonpath={.status.blueGreen.previewSelector}')"
  act="$(kc -n "$NS" get rollout payments -o 'jsonpath={.status.blueGreen.activeSelector}')"
  [[ -n "$prev" && "$prev" != "$act" ]] || return 1
  ready="$(kc -n "$NS" get rs "payments-$prev" -o 'jsonpath={.status.readyReplicas}')"
  [[ "$ready" == 3 ]]
}

# --- rolling Deployment with history ---
rollout_status web
for v in 1.1.0 1.2.0; do
  log "web: rolling to $v"
  kc -n "$NS" set image deployment/web "web=ghcr.io/example/web:$v" >/dev/null
  kc -n "$NS" annotate deployment/web --overwrite "kubernetes.io/change-cause=image $v" >/dev/null
  rollout_status web
done

# --- blue/green pair and replica canary: just wait until available ---
for d in app-blue app-green api-stable api-canary; do rollout_status "$d"; done

# --- GitOps: Flux's first reconcile of the storefront (Ready once its Deployments are available) ---
kc -n switchyard-gitops wait kustomization/storefront --for=condition=Ready --timeout=180s >/dev/null

# --- Argo canary: Healthy at 1.0.0, then update and stop at the indefinite pause ---
wait_rollout checkout .status.phase Healthy
log "checkout: updating to 1.1.0 (canary will pause at step 1)"
set_rollout_image checkout ghcr.io/example/checkout:1.1.0
wait_rollout checkout .status.phase Paused
wait_rollout checkout .status.currentStepIndex 1

# --- Argo blue/green: Healthy at 3.0.0, then update; preview comes up, waits for promotion ---
wait_rollout payments .status.phase Healthy
log "payments: updating to 3.1.0 (preview, promotion pending)"
set_rollout_image payments ghcr.io/example/payments:3.1.0
wait_rollout payments .status.phase Paused
wait_until "payments preview ReplicaSet ready" 120 preview_ready

canary_phase inventory WaitingPromotion
canary_phase search Succeeded
kc annotate namespace "$NS" --overwrite switchyard.dev/demo-state=ready >/dev/null
log "demo ready in $(($(date +%s) - T0))s"
kc -n "$NS" get deployments,rollouts.argoproj.io,canaries.flagger.app
kc -n switchyard-gitops get gitrepositories,kustomizations,deployments

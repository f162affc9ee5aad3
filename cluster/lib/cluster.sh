# shellcheck shell=bash
# Process management for the local control plane. Sourced by up.sh, down.sh, component.sh.
# Every process is started by us, binds 127.0.0.1 only, logs to $LOG_DIR/<name>.log and
# has its pid in $RUN_DIR/<name>.pid.
# shellcheck source=common.sh
. "$CLUSTER_SRC/lib/common.sh"

DIR="$SWITCHYARD_CLUSTER_DIR"
PKI="$DIR/pki"
LOG_DIR="$DIR/logs"
RUN_DIR="$DIR/run"
KCFG_DIR="$DIR/kubeconfigs"
KUBECONFIG_OUT="$DIR/kubeconfig"
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok argo-rollouts)
# metrics: the traffic source (cluster/traffic) and the Prometheus that scrapes it
COMPONENTS+=(traffic prometheus)
# Flagger: its controller and its load tester (webhooks: gates, pre-rollout checks)
COMPONENTS+=(flagger flagger-loadtester)
# GitOps: the git server (cluster/gitserver) and Flux's source- and kustomize-controller
COMPONENTS+=(gitserver source-controller kustomize-controller)
GIT_ROOT="$DIR/git"
# the demo's repository (cluster/demo/gitops/), served as $GIT_URL/$GITOPS_REPO.git
GITOPS_REPO=switchyard-gitops
FLUX_NAMESPACE=flux-system
SERVICE_CIDR="${SWITCHYARD_SERVICE_CIDR:-10.96.0.0/16}"
POD_CIDR="${SWITCHYARD_POD_CIDR:-10.0.0.0/16}"
NODE_COUNT="${SWITCHYARD_NODES:-3}"
# kwok stage delays (milliseconds): Pending -> Running (containers started, not ready),
# Running -> Ready, and deletionTimestamp -> gone. Per pod, the annotations
# pod-running.stage.kwok.x-k8s.io/delay, pod-ready.stage.kwok.x-k8s.io/delay and
# pod-delete.stage.kwok.x-k8s.io/delay (a Go duration, e.g. "10s") override them.
POD_RUNNING_DELAY_MS="${SWITCHYARD_POD_RUNNING_DELAY_MS:-1000}"
POD_READY_DELAY_MS="${SWITCHYARD_POD_READY_DELAY_MS:-1500}"
POD_DELETE_DELAY_MS="${SWITCHYARD_POD_DELETE_DELAY_MS:-500}"
# First crash-loop back-off in whole seconds (the kubelet's is 10 s), doubling per restart up to 5 min.
POD_BACKOFF_SECONDS="${SWITCHYARD_POD_BACKOFF_SECONDS:-10}"
KWOK_LOG_DIR="$DIR/kwok/logs"

binary_of() {
  case "$1" in
    etcd) echo "$ETCD_BIN" ;;
    kube-apiserver | kube-apiserver-bare) echo "$KUBE_APISERVER_BIN" ;;
    kube-controller-manager) echo "$KUBE_CONTROLLER_MANAGER_BIN" ;;
    kube-scheduler) echo "$KUBE_SCHEDULER_BIN" ;;
    kwok) echo "$KWOK_BIN" ;;
    argo-rollouts) echo "$ARGO_ROLLOUTS_BIN" ;;
    traffic) echo "$TRAFFIC_BIN" ;;
    prometheus) echo "$PROMETHEUS_BIN" ;;
    flagger) echo "$FLAGGER_BIN" ;;
    flagger-loadtester) echo "$FLAGGER_LOADTESTER_BIN" ;;
    gitserver) echo "$GITSERVER_BIN" ;;
    source-controller) echo "$FLUX_SOURCE_BIN" ;;
    kustomize-controller) echo "$FLUX_KUSTOMIZE_BIN" ;;
    *) die "unknown component $1" ;;
  esac
}

pid_of() { cat "$RUN_DIR/$1.pid" 2>/dev/null || true; }

# is_running NAME: the pid in the pid file is alive and runs the expected binary
is_running() {
  local pid exe
  pid="$(pid_of "$1")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
  [[ "$exe" == "$(binary_of "$1")" ]]
}

# spawn NAME ARGS...: start the component's binary detached (own session), log, pid file
spawn() {
  local name="$1" bin
  shift
  bin="$(binary_of "$name")"
  [[ -x "$bin" ]] || die "$bin missing: run cluster/build.sh"
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  printf '\n==== %s start %s\n' "$(date -u +%FT%TZ)" "$name" >>"$LOG_DIR/$name.log"
  setsid "$bin" "$@" </dev/null >>"$LOG_DIR/$name.log" 2>&1 9>&- &
  echo $! >"$RUN_DIR/$name.pid"
  log "started $name (pid $!, log $LOG_DIR/$name.log)"
}

# stop_component NAME: SIGTERM, then SIGKILL after a grace period. kube-apiserver gets 5 s:
# its graceful shutdown waits for open watch connections (up to a minute), so a plain
# SIGTERM restart would take ~1 min; etcd holds all state, so nothing is lost.
stop_component() {
  local name="$1" pid i grace=15
  [[ "$name" == kube-apiserver* ]] && grace="${SWITCHYARD_APISERVER_STOP_GRACE:-5}"
  if ! is_running "$name"; then
    rm -f "$RUN_DIR/$name.pid"
    return 0
  fi
  pid="$(pid_of "$name")"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) still running ${grace}s after SIGTERM: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$RUN_DIR/$name.pid"
  log "stopped $name"
}

# stop_components NAME...: stop several at once (used by down.sh)
stop_components() {
  local n
  for n in "$@"; do stop_component "$n" & done
  wait
}

# wait_until DESCRIPTION TIMEOUT_SECONDS COMMAND...
wait_until() {
  local what="$1" timeout="$2" t0
  shift 2
  t0=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    if (($(date +%s) - t0 >= timeout)); then
      log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.25
  done
}

# wait_started NAME DESCRIPTION TIMEOUT_SECONDS COMMAND...: wait_until, but give up at once when
# the component NAME has exited (a port another cluster took a moment ago, a bad flag), with the
# last lines of its log, instead of waiting the whole timeout on a process that is gone.
wait_started() {
  local name="$1" what="$2" timeout="$3" t0
  shift 3
  t0=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    if ! is_running "$name"; then
      log "$name exited before $what; the end of $LOG_DIR/$name.log:"
      tail -n 8 "$LOG_DIR/$name.log" >&2 || true
      return 1
    fi
    if (($(date +%s) - t0 >= timeout)); then
      log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.25
  done
}

# ---------- ports ----------
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
# choose_port VAR ENV_VALUE DEFAULT COMPONENT: keep the saved port while it is free or its
# component runs; else the env value (must be free); else DEFAULT when free; else any free port.
choose_port() {
  local var="$1" env="$2" def="$3" comp="$4" cur="${!1:-}"
  if [[ -n "$cur" ]] && { is_running "$comp" || { port_free "$cur" && [[ -z "$env" || "$env" == "$cur" ]]; }; }; then
    return 0
  fi
  if [[ -n "$env" ]]; then
    port_free "$env" || die "port $env ($var) is in use"
    printf -v "$var" '%s' "$env"
  elif [[ -n "$def" ]] && port_free "$def"; then
    printf -v "$var" '%s' "$def"
  else
    printf -v "$var" '%s' "$(free_port)"
  fi
}
load_ports() {
  # shellcheck disable=SC1091
  [[ -f "$DIR/ports.env" ]] && . "$DIR/ports.env"
  return 0
}
save_ports() {
  mkdir -p "$DIR"
  {
    echo "API_PORT=$API_PORT"
    echo "ETCD_PORT=$ETCD_PORT"
    echo "ETCD_PEER_PORT=$ETCD_PEER_PORT"
    echo "KCM_PORT=$KCM_PORT"
    echo "SCHED_PORT=$SCHED_PORT"
    echo "ARGO_HEALTHZ_PORT=$ARGO_HEALTHZ_PORT"
    echo "ARGO_METRICS_PORT=$ARGO_METRICS_PORT"
    echo "TRAFFIC_PORT=$TRAFFIC_PORT"
    echo "PROMETHEUS_PORT=$PROMETHEUS_PORT"
    # for tests and npm start (the Prometheus HTTP API of this cluster)
    echo "PROMETHEUS_URL=http://127.0.0.1:$PROMETHEUS_PORT"
    echo "KWOK_PORT=$KWOK_PORT"
    echo "FLAGGER_PORT=$FLAGGER_PORT"
    echo "LOADTESTER_PORT=$LOADTESTER_PORT"
    echo "LOADTESTER_HOST=$LOADTESTER_HOST"
    # for tests, demo.sh and npm start: the load tester as Flagger (a host process) calls it, and
    # the selector-less Service (+ Endpoints/EndpointSlice) through which the API server's service
    # proxy reaches it, or why there is none
    echo "LOADTESTER_URL=http://$LOADTESTER_HOST:$LOADTESTER_PORT"
    echo "LOADTESTER_SERVICE=$LOADTESTER_SERVICE"
    echo "LOADTESTER_PROXY_UNAVAILABLE=\"$LOADTESTER_PROXY_UNAVAILABLE\""
    echo "GIT_PORT=$GIT_PORT"
    echo "FLUX_SOURCE_HEALTH_PORT=$FLUX_SOURCE_HEALTH_PORT"
    echo "FLUX_SOURCE_METRICS_PORT=$FLUX_SOURCE_METRICS_PORT"
    echo "FLUX_SOURCE_STORAGE_PORT=$FLUX_SOURCE_STORAGE_PORT"
    echo "FLUX_KUSTOMIZE_HEALTH_PORT=$FLUX_KUSTOMIZE_HEALTH_PORT"
    echo "FLUX_KUSTOMIZE_METRICS_PORT=$FLUX_KUSTOMIZE_METRICS_PORT"
    # for tests and npm start: the git server (repositories are $GIT_URL/<name>.git, their bare
    # folders $GIT_ROOT/<name>.git) and the GitOps demo's repository
    echo "GIT_URL=http://127.0.0.1:$GIT_PORT"
    echo "GIT_ROOT=$GIT_ROOT"
    echo "GITOPS_REPO_URL=http://127.0.0.1:$GIT_PORT/$GITOPS_REPO.git"
  } >"$DIR/ports.env"
}
pick_ports() {
  load_ports
  choose_port API_PORT "${SWITCHYARD_API_PORT:-}" 6443 kube-apiserver
  choose_port ETCD_PORT "${SWITCHYARD_ETCD_PORT:-}" "" etcd
  choose_port ETCD_PEER_PORT "" "" etcd
  choose_port KCM_PORT "" "" kube-controller-manager
  choose_port SCHED_PORT "" "" kube-scheduler
  choose_port ARGO_HEALTHZ_PORT "" "" argo-rollouts
  choose_port ARGO_METRICS_PORT "" "" argo-rollouts
  choose_port TRAFFIC_PORT "" "" traffic
  choose_port PROMETHEUS_PORT "${SWITCHYARD_PROMETHEUS_PORT:-}" "" prometheus
  choose_port KWOK_PORT "" "" kwok
  choose_port FLAGGER_PORT "" "" flagger
  choose_port LOADTESTER_PORT "" "" flagger-loadtester
  pick_loadtester_host
  choose_port GIT_PORT "${SWITCHYARD_GIT_PORT:-}" "" gitserver
  choose_port FLUX_SOURCE_HEALTH_PORT "" "" source-controller
  choose_port FLUX_SOURCE_METRICS_PORT "" "" source-controller
  choose_port FLUX_SOURCE_STORAGE_PORT "" "" source-controller
  choose_port FLUX_KUSTOMIZE_HEALTH_PORT "" "" kustomize-controller
  choose_port FLUX_KUSTOMIZE_METRICS_PORT "" "" kustomize-controller
  save_ports
}

# The API server's service proxy refuses loopback and link-local endpoint addresses (k8s.io/
# apimachinery/pkg/util/proxy IsProxyableIP), so the load tester, a host process, listens on the
# machine's first non-loopback, non-link-local IPv4 address, and a selector-less Service names
# it. Without such an address it listens on 127.0.0.1: Flagger still reaches it, the proxy cannot.
LOADTESTER_SERVICE=flagger-loadtester
pick_loadtester_host() {
  local host
  host="$(node -e '
    const all = Object.values(require("os").networkInterfaces()).flat();
    const a = all.find((i) => i.family === "IPv4" && !i.internal && !i.address.startsWith("169.254.") && !i.address.startsWith("127."));
    if (a) console.log(a.address);')"
  if [[ -n "$host" ]]; then
    LOADTESTER_HOST="$host" LOADTESTER_PROXY_UNAVAILABLE=""
  else
    LOADTESTER_HOST=127.0.0.1
    LOADTESTER_PROXY_UNAVAILABLE="this machine has no non-loopback, non-link-local IPv4 address, so the API server's service proxy cannot reach the load tester (it refuses loopback endpoints)"
    log "flagger-loadtester: $LOADTESTER_PROXY_UNAVAILABLE; it listens on 127.0.0.1 (Flagger's webhooks work, gates through the proxy do not)"
  fi
}

# ---------- credentials ----------
PKI_FILES=(ca.crt ca.key apiserver.crt apiserver.key admin.crt admin.key front-proxy-ca.crt
  front-proxy-client.crt front-proxy-client.key sa.key sa.pub tokens.csv)
# the users tokens.csv must have (a folder made before one of them was added is regenerated)
TOKEN_USERS=(switchyard-admin limited system:kube-controller-manager system:kube-scheduler kwok-controller
  argo-rollouts-controller flux-source-controller flux-kustomize-controller)
pki_complete() {
  local f
  for f in "${PKI_FILES[@]}"; do [[ -s "$PKI/$f" ]] || return 1; done
  for f in "${TOKEN_USERS[@]}"; do [[ -n "$(token_of "$f")" ]] || return 1; done
}
ensure_pki() {
  mkdir -p "$PKI"
  pki_complete && return 0
  local c
  for c in "${COMPONENTS[@]}"; do
    is_running "$c" && die "credentials in $PKI are incomplete (older layout?) while $c runs: run cluster/down.sh first"
  done
  rm -rf "$PKI" && mkdir -p "$PKI"
  command -v openssl >/dev/null || die "openssl is needed (Debian package openssl)"
  log "generating CA, serving cert, service-account key, tokens in $PKI"
  local o=(-days 3650)
  (
    cd "$PKI"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt "${o[@]}" \
      -subj "/CN=switchyard-local-ca" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr \
      -subj "/CN=kube-apiserver" 2>/dev/null
    printf '%s\n' \
      "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:${SERVICE_CIDR%.*/*}.1" \
      "basicConstraints=CA:FALSE" "keyUsage=digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt \
      "${o[@]}" -extfile apiserver.ext 2>/dev/null
    # client certificate for the admin (kubeconfig uses tokens; this is for tests of cert auth)
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr \
      -subj "/O=system:masters/CN=switchyard-admin" 2>/dev/null
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=digitalSignature,keyEncipherment" "extendedKeyUsage=clientAuth" >client.ext
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt \
      "${o[@]}" -extfile client.ext 2>/dev/null
    # front-proxy (request header) CA + client: lets the aggregation layer and the
    # controllers' delegated authentication find a requestheader CA (else they log errors)
    openssl req -x509 -newkey rsa:2048 -nodes -keyout front-proxy-ca.key -out front-proxy-ca.crt "${o[@]}" \
      -subj "/CN=switchyard-front-proxy-ca" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout front-proxy-client.key -out front-proxy-client.csr \
      -subj "/CN=front-proxy-client" 2>/dev/null
    openssl x509 -req -in front-proxy-client.csr -CA front-proxy-ca.crt -CAkey front-proxy-ca.key -CAcreateserial \
      -out front-proxy-client.crt "${o[@]}" -extfile client.ext 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ./*.csr ./*.ext
    tok() { openssl rand -hex 24; }
    {
      echo "$(tok),switchyard-admin,switchyard-admin,\"system:masters\""
      echo "$(tok),limited,limited"
      echo "$(tok),system:kube-controller-manager,system:kube-controller-manager"
      echo "$(tok),system:kube-scheduler,system:kube-scheduler"
      echo "$(tok),kwok-controller,kwok-controller,\"system:masters\""
      echo "$(tok),argo-rollouts-controller,argo-rollouts-controller,\"system:masters\""
      echo "$(tok),flagger-controller,flagger-controller,\"system:masters\""
      echo "$(tok),flux-source-controller,flux-source-controller,\"system:masters\""
      echo "$(tok),flux-kustomize-controller,flux-kustomize-controller,\"system:masters\""
    } >tokens.csv
    chmod 600 ./*.key tokens.csv
  )
}
token_of() { awk -F, -v u="$1" '$2 == u { print $1 }' "$PKI/tokens.csv"; }

# kubeconfig_file FILE CLUSTER PORT USER CONTEXT NAMESPACE: one user, one context, a token
kubeconfig_file() {
  local file="$1" cluster="$2" port="$3" user="$4" context="$5" ns="$6" ca
  ca="$(base64 -w0 <"$PKI/ca.crt")"
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: $cluster
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority-data: $ca
users:
- name: $user
  user:
    token: $(token_of "$user")
contexts:
- name: $context
  context: {cluster: $cluster, user: $user, namespace: $ns}
current-context: $context
EOF
  chmod 600 "$file"
}

# kubeconfig_for FILE USER [NAMESPACE]: a component's kubeconfig for the local API server
kubeconfig_for() {
  kubeconfig_file "$1" switchyard-local "$API_PORT" "$2" "$2" "${3:-default}"
}

write_kubeconfigs() {
  mkdir -p "$KCFG_DIR"
  kubeconfig_for "$KCFG_DIR/kube-controller-manager.kubeconfig" system:kube-controller-manager kube-system
  kubeconfig_for "$KCFG_DIR/kube-scheduler.kubeconfig" system:kube-scheduler kube-system
  kubeconfig_for "$KCFG_DIR/kwok.kubeconfig" kwok-controller kube-system
  kubeconfig_for "$KCFG_DIR/argo-rollouts.kubeconfig" argo-rollouts-controller argo-rollouts
  [[ -n "$(token_of flagger-controller)" ]] ||
    die "$PKI/tokens.csv predates Flagger (no user flagger-controller): run cluster/down.sh, then cluster/up.sh"
  kubeconfig_for "$KCFG_DIR/flagger.kubeconfig" flagger-controller default
  kubeconfig_for "$KCFG_DIR/source-controller.kubeconfig" flux-source-controller "$FLUX_NAMESPACE"
  kubeconfig_for "$KCFG_DIR/kustomize-controller.kubeconfig" flux-kustomize-controller "$FLUX_NAMESPACE"
  local ca
  ca="$(base64 -w0 <"$PKI/ca.crt")"
  cat >"$KUBECONFIG_OUT.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: switchyard-local
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $ca
users:
- name: switchyard-admin
  user:
    token: $(token_of switchyard-admin)
- name: switchyard-limited
  user:
    token: $(token_of limited)
contexts:
- name: switchyard-local
  context: {cluster: switchyard-local, user: switchyard-admin, namespace: default}
- name: switchyard-limited
  context: {cluster: switchyard-local, user: switchyard-limited, namespace: default}
current-context: switchyard-local
EOF
  chmod 600 "$KUBECONFIG_OUT.tmp"
  mv -f "$KUBECONFIG_OUT.tmp" "$KUBECONFIG_OUT"
}

# ---------- kwok stages and logs ----------
write_kwok_config() {
  mkdir -p "$DIR/kwok"
  local f="$DIR/kwok/kwok.yaml"
  # @POD_LOGS@ stands for the Logs template, indented like the placeholder
  awk -v snippet="$CLUSTER_SRC/kwok/pod-logs.yaml.in" '
    /^ *@POD_LOGS@$/ { pad = $0; sub(/@POD_LOGS@$/, "", pad); while ((getline l < snippet) > 0) print pad l; close(snippet); next }
    { print }' "$CLUSTER_SRC/kwok/kwok.yaml.in" |
    sed -e "s/@POD_RUNNING_DELAY_MS@/$POD_RUNNING_DELAY_MS/g" \
      -e "s/@POD_READY_DELAY_MS@/$POD_READY_DELAY_MS/g" \
      -e "s/@POD_DELETE_DELAY_MS@/$POD_DELETE_DELAY_MS/g" \
      -e "s/@POD_BACKOFF_SECONDS@/$POD_BACKOFF_SECONDS/g" \
      -e "s|@KWOK_LOG_DIR@|$KWOK_LOG_DIR|g" >"$f.tmp"
  mv -f "$f.tmp" "$f"
  write_kwok_logs
}

# cri_log FILE SECONDS_AGO STREAM:MESSAGE...: a container log in the CRI format kwok serves
# (what the kubelet reads: "<RFC 3339 time> <stream> F <line>"), one line a second, ending
# SECONDS_AGO before now, so sinceSeconds has real times to filter on.
cri_log() {
  local file="$1" ago="$2" now i=0 line
  shift 2
  now=$(date +%s)
  for line in "$@"; do
    printf '%s %s F %s\n' "$(date -u -d "@$((now - ago - $# + i))" +%FT%T.000000000Z)" "${line%%:*}" "${line#*:}"
    i=$((i + 1))
  done >"$file.tmp"
  mv -f "$file.tmp" "$file"
}

# The log of each kind of image (see kwok/pod-logs.yaml.in), written when kwok starts.
write_kwok_logs() {
  mkdir -p "$KWOK_LOG_DIR"
  cri_log "$KWOK_LOG_DIR/app.log" 0 "stdout:starting app" "stdout:listening on :8080" \
    "stdout:GET /healthz 200 0.4ms" "stdout:GET / 200 3.1ms" "stdout:GET /api/items 200 12.7ms" "stdout:GET /healthz 200 0.3ms"
  local crash=("stdout:starting app" "stdout:loading configuration from /etc/app/config.yaml"
    "stderr:error: config: DATABASE_URL is not set" "stderr:exiting with status 1")
  # killed by the kernel: the log just stops
  local oom=("stdout:starting app" "stdout:listening on :8080" "stdout:warming cache: 1000000 items"
    "stdout:warming cache: 2000000 items" "stdout:warming cache: 3000000 items")
  cri_log "$KWOK_LOG_DIR/crash.log" 0 "${crash[@]}"
  cri_log "$KWOK_LOG_DIR/crash-previous.log" 30 "${crash[@]}"
  cri_log "$KWOK_LOG_DIR/oom.log" 0 "${oom[@]}"
  cri_log "$KWOK_LOG_DIR/oom-previous.log" 30 "${oom[@]}"
}

# kwok's kubelet endpoint (logs) serves HTTPS with a certificate of our CA for 127.0.0.1, so
# the API server can verify it (--kubelet-certificate-authority). Made on its own, so a
# cluster folder made before it keeps the rest of its credentials.
ensure_kwok_cert() {
  [[ -s "$PKI/kwok.crt" && -s "$PKI/kwok.key" ]] && return 0
  (
    cd "$PKI"
    openssl req -newkey rsa:2048 -nodes -keyout kwok.key -out kwok.csr -subj "/CN=kwok-kubelet" 2>/dev/null
    printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=CA:FALSE" \
      "keyUsage=digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >kwok.ext
    openssl x509 -req -in kwok.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out kwok.crt -days 3650 \
      -extfile kwok.ext 2>/dev/null
    rm -f kwok.csr kwok.ext
    chmod 600 kwok.key
  )
}

# ---------- component starters ----------
start_etcd() {
  mkdir -p -m 700 "$DIR/etcd-data"
  spawn etcd \
    --name=switchyard \
    --data-dir="$DIR/etcd-data" \
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="switchyard=http://127.0.0.1:$ETCD_PEER_PORT" \
    --unsafe-no-fsync \
    --quota-backend-bytes=$((2 * 1024 * 1024 * 1024)) \
    --log-level=warn
  wait_started etcd "etcd health" 30 curl -fsS "http://127.0.0.1:$ETCD_PORT/health"
}

# spawn_apiserver NAME PORT CERT_DIR EXTRA_FLAGS...: a kube-apiserver on the cluster's etcd and PKI
spawn_apiserver() {
  local name="$1" port="$2" cert_dir="$3"
  shift 3
  spawn "$name" \
    --bind-address=127.0.0.1 \
    --advertise-address=127.0.0.1 \
    --secure-port="$port" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" \
    --service-account-signing-key-file="$PKI/sa.key" \
    --tls-cert-file="$PKI/apiserver.crt" \
    --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --token-auth-file="$PKI/tokens.csv" \
    --authorization-mode=RBAC \
    --endpoint-reconciler-type=none \
    --profiling=false \
    --cert-dir="$cert_dir" \
    "$@"
}

start_kube-apiserver() {
  spawn_apiserver kube-apiserver "$API_PORT" "$PKI/apiserver-certs" \
    --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" \
    --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User \
    --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$PKI/front-proxy-client.crt" \
    --proxy-client-key-file="$PKI/front-proxy-client.key" \
    --kubelet-preferred-address-types=InternalIP \
    --kubelet-certificate-authority="$PKI/ca.crt" \
    --allow-privileged=true
  wait_started kube-apiserver "kube-apiserver /readyz" 120 api_ready
}

api_ready() {
  is_running kube-apiserver || return 1
  curl -fsS --cacert "$PKI/ca.crt" -H "Authorization: Bearer $(token_of switchyard-admin)" \
    "https://127.0.0.1:$API_PORT/readyz"
}

start_kube-controller-manager() {
  local k="$KCFG_DIR/kube-controller-manager.kubeconfig"
  spawn kube-controller-manager \
    --kubeconfig="$k" \
    --authentication-kubeconfig="$k" \
    --authorization-kubeconfig="$k" \
    --bind-address=127.0.0.1 \
    --secure-port="$KCM_PORT" \
    --cert-dir="$PKI/kcm-certs" \
    --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI/sa.key" \
    --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" \
    --cluster-signing-key-file="$PKI/ca.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --node-monitor-grace-period="${SWITCHYARD_NODE_MONITOR_GRACE:-120s}"
}

start_kube-scheduler() {
  local k="$KCFG_DIR/kube-scheduler.kubeconfig"
  spawn kube-scheduler \
    --kubeconfig="$k" \
    --authentication-kubeconfig="$k" \
    --authorization-kubeconfig="$k" \
    --bind-address=127.0.0.1 \
    --secure-port="$SCHED_PORT" \
    --cert-dir="$PKI/scheduler-certs" \
    --leader-elect=false
}

# kwok also serves the nodes' kubelet endpoint (pods/log) on KWOK_PORT, the port every node's
# daemonEndpoints names (its stages render NodePort); the node IP 127.0.0.1 is what the API
# server dials (--kubelet-preferred-address-types=InternalIP). Logs objects come from the API.
start_kwok() {
  write_kwok_config
  ensure_kwok_cert
  # a cluster folder from before the kubelet endpoint has no port for it yet
  if [[ -z "${KWOK_PORT:-}" ]]; then
    choose_port KWOK_PORT "" "" kwok
    save_ports
  fi
  # kwok lists the Logs objects (cluster/kwok/logs-crd.yaml) it serves pods/log from when it starts
  kc apply --server-side --force-conflicts --field-manager=switchyard-up -f "$CLUSTER_SRC/kwok/logs-crd.yaml" >/dev/null
  wait_until "Logs CRD Established" 60 kc wait --for=condition=Established --timeout=5s -f "$CLUSTER_SRC/kwok/logs-crd.yaml"
  spawn kwok \
    --kubeconfig="$KCFG_DIR/kwok.kubeconfig" \
    --config="$DIR/kwok/kwok.yaml" \
    --server-address="127.0.0.1:$KWOK_PORT" \
    --node-port="$KWOK_PORT" \
    --tls-cert-file="$PKI/kwok.crt" \
    --tls-private-key-file="$PKI/kwok.key" \
    --enable-crds=Logs \
    --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --node-lease-duration-seconds=40 \
    --cidr="$POD_CIDR" \
    --node-ip=127.0.0.1
}

start_argo-rollouts() {
  POD_NAMESPACE=argo-rollouts spawn argo-rollouts \
    --kubeconfig="$KCFG_DIR/argo-rollouts.kubeconfig" \
    --leader-elect=false \
    --healthzPort="$ARGO_HEALTHZ_PORT" \
    --metricsPort="$ARGO_METRICS_PORT" \
    --loglevel=info
  wait_started argo-rollouts "argo-rollouts healthz" 60 curl -fsS "http://127.0.0.1:$ARGO_HEALTHZ_PORT/healthz"
}

# ---------- metrics: traffic source + Prometheus ----------
PROMETHEUS_SCRAPE_INTERVAL="${SWITCHYARD_PROMETHEUS_SCRAPE_INTERVAL:-5s}"
PROMETHEUS_RETENTION="${SWITCHYARD_PROMETHEUS_RETENTION:-6h}"

start_traffic() {
  # the traffic source lists and watches pods as the admin (a local test cluster)
  mkdir -p "$DIR/traffic"
  (umask 077 && token_of switchyard-admin >"$DIR/traffic/token")
  spawn traffic \
    --server="https://127.0.0.1:$API_PORT" \
    --ca="$PKI/ca.crt" \
    --token-file="$DIR/traffic/token" \
    --listen="127.0.0.1:$TRAFFIC_PORT"
  wait_started traffic "traffic source /healthz" 30 curl -fsS "http://127.0.0.1:$TRAFFIC_PORT/healthz"
}

write_prometheus_config() {
  mkdir -p "$DIR/prometheus"
  # honor_labels: the traffic source's namespace/pod labels are the series' own (as with a
  # federation or pushgateway target), not to be renamed exported_*.
  cat >"$DIR/prometheus/prometheus.yml.tmp" <<EOF
global:
  scrape_interval: $PROMETHEUS_SCRAPE_INTERVAL
  evaluation_interval: $PROMETHEUS_SCRAPE_INTERVAL
scrape_configs:
- job_name: traffic
  honor_labels: true
  static_configs: [{targets: ['127.0.0.1:$TRAFFIC_PORT']}]
- job_name: argo-rollouts
  static_configs: [{targets: ['127.0.0.1:$ARGO_METRICS_PORT']}]
EOF
  mv -f "$DIR/prometheus/prometheus.yml.tmp" "$DIR/prometheus/prometheus.yml"
}

start_prometheus() {
  write_prometheus_config
  mkdir -p "$DIR/prometheus-data"
  spawn prometheus \
    --config.file="$DIR/prometheus/prometheus.yml" \
    --storage.tsdb.path="$DIR/prometheus-data" \
    --storage.tsdb.retention.time="$PROMETHEUS_RETENTION" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
    --log.level=warn
  wait_started prometheus "prometheus /-/ready" 60 curl -fsS "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"
}

# ---------- Flagger: controller and load tester ----------
# Flagger out of cluster (cmd/flagger/main.go flags): leader election is off by default
# (-enable-leader-election); -mesh-provider kubernetes is only the default, every Canary may name
# its own spec.provider (advanceCanary in pkg/controller/scheduler.go); -metrics-server is the
# default Prometheus of the built-in checks and MetricTemplates without an address;
# -control-loop-interval is how often new Canaries get their analysis job (scheduleCanaries; the
# default 10 s would delay every test's first step), not the analysis interval (the Canary's own).
# Its HTTP server (/healthz, /metrics) binds 127.0.0.1 (patched in build.sh).
start_flagger() {
  spawn flagger \
    -kubeconfig="$KCFG_DIR/flagger.kubeconfig" \
    -port="$FLAGGER_PORT" \
    -mesh-provider=kubernetes \
    -metrics-server="http://127.0.0.1:$PROMETHEUS_PORT" \
    -control-loop-interval=2s \
    -log-level=info \
    -zap-encoding=console
  wait_started flagger "flagger /healthz" 60 curl -fsS "http://127.0.0.1:$FLAGGER_PORT/healthz"
}

# The load tester's -port is a whole listen address in our build (build.sh): one address, see
# pick_loadtester_host. Gates live in its memory: a restart closes them all.
start_flagger-loadtester() {
  spawn flagger-loadtester \
    -port="$LOADTESTER_HOST:$LOADTESTER_PORT" \
    -log-level=info \
    -zap-encoding=console
  wait_started flagger-loadtester "flagger-loadtester /healthz" 30 curl -fsS "http://$LOADTESTER_HOST:$LOADTESTER_PORT/healthz"
}

# ---------- GitOps: git server + Flux ----------
start_gitserver() {
  mkdir -p "$GIT_ROOT"
  spawn gitserver --root="$GIT_ROOT" --listen="127.0.0.1:$GIT_PORT"
  wait_started gitserver "git server /healthz" 30 curl -fsS "http://127.0.0.1:$GIT_PORT/healthz"
}

# seed_git_repo NAME SRC_DIR: a bare repository $GIT_ROOT/NAME.git whose branch main holds one
# commit of SRC_DIR's files (replacing any repository of that name)
seed_git_repo() {
  local name="$1" src="$2" bare="$GIT_ROOT/$1.git" work
  command -v git >/dev/null || die "git is needed (Debian package git)"
  mkdir -p "$GIT_ROOT"
  work="$(mktemp -d)"
  cp -r "$src/." "$work/"
  rm -rf "$bare.tmp"
  git init -q --bare -b main "$bare.tmp"
  (
    cd "$work"
    git init -q -b main
    git add -A
    git -c user.name="Switchyard demo" -c user.email=demo@switchyard.local commit -q -m "GitOps demo: $name"
    git push -q "$bare.tmp" main
  )
  rm -rf "$work" "$bare"
  mv "$bare.tmp" "$bare"
  log "seeded git repository $name (http://127.0.0.1:$GIT_PORT/$name.git) from $src"
}

# Both controllers run out of cluster with a kubeconfig (KUBECONFIG: their main.go binds no
# --kubeconfig flag; controller-runtime's GetConfig reads the variable), leader election off
# (fluxcd/pkg/runtime/leaderelection: --enable-leader-election defaults to false), every
# namespace watched (--watch-all-namespaces, true by default, said anyway) and health, metrics
# and (source-controller) the artifact server on 127.0.0.1. kustomize-controller downloads the
# artifacts from the URL source-controller advertises (--storage-adv-addr).
# spawn_flux_controller NAME HEALTH_PORT METRICS_PORT EXTRA_FLAGS...: the flags both share, then
# wait for its /readyz.
spawn_flux_controller() {
  local name="$1" health="$2" metrics="$3"
  shift 3
  KUBECONFIG="$KCFG_DIR/$name.kubeconfig" RUNTIME_NAMESPACE="$FLUX_NAMESPACE" spawn "$name" \
    --watch-all-namespaces=true \
    --enable-leader-election=false \
    --health-addr="127.0.0.1:$health" \
    --metrics-addr="127.0.0.1:$metrics" \
    --log-level="${SWITCHYARD_FLUX_LOG_LEVEL:-info}" \
    --log-encoding=console \
    "$@"
  wait_started "$name" "$name /readyz" 90 curl -fsS "http://127.0.0.1:$health/readyz"
}
start_source-controller() {
  mkdir -p "$DIR/flux/storage"
  spawn_flux_controller source-controller "$FLUX_SOURCE_HEALTH_PORT" "$FLUX_SOURCE_METRICS_PORT" \
    --storage-path="$DIR/flux/storage" \
    --storage-addr="127.0.0.1:$FLUX_SOURCE_STORAGE_PORT" \
    --storage-adv-addr="127.0.0.1:$FLUX_SOURCE_STORAGE_PORT"
}
start_kustomize-controller() {
  spawn_flux_controller kustomize-controller "$FLUX_KUSTOMIZE_HEALTH_PORT" "$FLUX_KUSTOMIZE_METRICS_PORT"
}

start_component() {
  local name="$1"
  if is_running "$name"; then
    log "$name already running (pid $(pid_of "$name"))"
    return 0
  fi
  "start_$name"
}

kc() { "$KUBECTL_BIN" --kubeconfig="$KUBECONFIG_OUT" --context=switchyard-local "$@"; }

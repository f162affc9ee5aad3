#!/usr/bin/env bash
# Build the pinned local control plane from Go modules (no binary downloads):
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok,
#   Argo Rollouts controller (+ its CRD yaml files), Prometheus server, our traffic
#   source (cluster/traffic), Flagger's controller and load tester (+ Flagger's CRDs and the
#   Gateway API standard CRDs), Flux's source-controller and kustomize-controller (+ their CRD
#   yaml files) and our git server (cluster/gitserver).
# Binaries go to ${SWITCHYARD_CACHE:-~/.cache/switchyard}/bin/<name>-<version>/ and a
# build is skipped when its binaries are already there (idempotent, resumable: an
# interrupted build leaves no half-written binary, and Go's caches keep the progress).
#
# Usage: cluster/build.sh [--check] [all|etcd|kubernetes|kwok|argo-rollouts|prometheus|traffic|flagger|flux|gitserver]...
#        --check: build nothing; exit 1 (naming them) when any requested component is not built yet
# Progress: module downloads and compiled packages are logged every 10 s while a build runs.
# Env:   SWITCHYARD_CACHE        cache root (default ~/.cache/switchyard)
#        SWITCHYARD_GOMODCACHE   Go module cache (default $SWITCHYARD_CACHE/go/mod)
#        SWITCHYARD_GOCACHE      Go build cache  (default $SWITCHYARD_CACHE/go/build)
#        SWITCHYARD_BUILD_P      go build -p     (default 2)
#        ETCD_VERSION K8S_VERSION KWOK_VERSION ARGO_ROLLOUTS_VERSION PROMETHEUS_VERSION
#                                FLAGGER_VERSION GATEWAY_API_VERSION (see versions.env)
#        FLUX_SOURCE_CONTROLLER_VERSION FLUX_KUSTOMIZE_CONTROLLER_VERSION (see versions.env)
set -euo pipefail
CLUSTER_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/common.sh
. "$CLUSTER_SRC/lib/common.sh"

command -v go >/dev/null || die "go is not installed (needs Go >= 1.26 for kwok $KWOK_VERSION)"

export GOMODCACHE="${SWITCHYARD_GOMODCACHE:-$SWITCHYARD_CACHE/go/mod}"
export GOCACHE="${SWITCHYARD_GOCACHE:-$SWITCHYARD_CACHE/go/build}"
export CGO_ENABLED=0
export GOFLAGS="-modcacherw -buildvcs=false"
# Never pick up a go.work of the surrounding checkout.
export GOWORK=off
BUILD_P="${SWITCHYARD_BUILD_P:-2}"
WRAP_ROOT="$SWITCHYARD_CACHE/wrap"
mkdir -p "$BIN_ROOT" "$WRAP_ROOT" "$GOMODCACHE" "$GOCACHE"

# mod_field MODULE@VERSION FIELD -> value of `go mod download -json` (Dir, GoMod, Info, Sum)
mod_field() {
  local out
  out="$(cd "$WRAP_ROOT" && go mod download -json "$1")" || die "go mod download $1 failed: $out"
  printf '%s\n' "$out" | sed -n "s/^[[:space:]]*\"$2\": \"\(.*\)\",\{0,1\}$/\1/p" | head -n1
}

# tag_time MODULE@VERSION -> RFC3339 time of the tag (reproducible build date)
tag_time() {
  local info
  info="$(mod_field "$1" Info)"
  sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info"
}

# make_wrapper DIR MODULE VERSION [STAGING_VERSION]
# Writes DIR/go.mod = upstream go.mod of MODULE@VERSION with
#   - the module renamed (so it becomes *our* main module and replace directives apply),
#   - every local-path replace (=> ./x, => ../x) dropped (they point into the upstream repo),
#   - other replaces kept as upstream has them (Argo Rollouts pins k8s.io/* that way),
#   - with STAGING_VERSION: every `k8s.io/* v0.0.0` require replaced by its published tag,
#   - a require on MODULE@VERSION itself.
# and DIR/go.sum = upstream go.sum (go build -mod=mod adds what is missing).
make_wrapper() {
  local dir="$1" module="$2" version="$3" staging="${4:-}"
  local stamp="$module@$version staging=$staging v2"
  if [[ -f "$dir/go.mod" && "$(cat "$dir/.stamp" 2>/dev/null)" == "$stamp" ]]; then
    return 0
  fi
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  local gomod moddir
  gomod="$(mod_field "$module@$version" GoMod)"
  moddir="$(mod_field "$module@$version" Dir)"
  [[ -f "$gomod" && -d "$moddir" ]] || die "cannot fetch $module@$version"
  cp "$gomod" "$dir.tmp/go.mod"
  chmod u+w "$dir.tmp/go.mod"
  if [[ -f "$moddir/go.sum" ]]; then cp "$moddir/go.sum" "$dir.tmp/go.sum"; chmod u+w "$dir.tmp/go.sum"; fi
  (
    cd "$dir.tmp"
    go mod edit -module "switchyard.local/wrap/$(basename "$dir")" -toolchain=none
    # local-path replaces: `old => ./path` inside a replace block or on a `replace` line
    local old
    while read -r old; do
      [[ -n "$old" ]] && go mod edit -dropreplace="$old"
    done < <(awk '
      /^replace[[:space:]]*\(/ {inblk=1; next}
      inblk && /^\)/ {inblk=0; next}
      { line=$0; sub(/^replace[[:space:]]+/, "", line) }
      (inblk || /^replace[[:space:]]/) && line ~ /=>[[:space:]]*\.\.?\// { split(line, f, /[[:space:]]+/); n=(f[1]==""?f[2]:f[1]); print n }
    ' go.mod)
    if [[ -n "$staging" ]]; then
      local n=0 mod
      # The tag's own list of staging modules: every require at v0.0.0.
      while read -r mod; do
        go mod edit -replace="$mod=$mod@$staging"
        n=$((n + 1))
      done < <(awk '
        /^require[[:space:]]*\(/ {inblk=1; next}
        inblk && /^\)/ {inblk=0; next}
        { line=$0; sub(/^require[[:space:]]+/, "", line) }
        (inblk || /^require[[:space:]]/) { split(line, f, /[[:space:]]+/); o=(f[1]==""?1:0); if (f[2+o]=="v0.0.0") print f[1+o] }
      ' go.mod)
      ((n > 0)) || die "no v0.0.0 staging requires found in $module@$version go.mod"
      log "wrapper $(basename "$dir"): $n staging modules -> $staging"
    fi
    go mod edit -require="$module@$version"
  )
  echo "$stamp" >"$dir.tmp/.stamp"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

# go_progress LABEL TOTAL: reads go's -v / download output; logs a progress line every 10 s
# (modules downloaded, packages compiled of TOTAL) and passes every other line (errors) through.
go_progress() {
  local label="$1" total="$2" modules=0 packages=0 last=$SECONDS line
  while IFS= read -r line; do
    if [[ "$line" == "go: downloading "* ]]; then
      modules=$((modules + 1))
    elif [[ "$line" =~ ^[A-Za-z0-9._~/-]+$ ]]; then
      packages=$((packages + 1))
    else
      printf '%s\n' "$line" >&2
      continue
    fi
    if ((SECONDS - last >= 10)); then
      last=$SECONDS
      if ((packages)); then log "$label: $packages/$total packages compiled"; else log "$label: $modules modules downloaded"; fi
    fi
  done
  if ((packages + 1 < total)); then log "$label: compiled $packages of $total packages (the others were in the build cache)"
  elif ((packages)); then log "$label: compiled $packages packages"
  elif ((modules)); then log "$label: $modules modules downloaded"; fi
}

# go_build WRAPPER_DIR OUT_DIR LDFLAGS NAME=PKG...   (only the missing binaries are built)
go_build() {
  local wdir="$1" out="$2" ldflags="$3"
  shift 3
  local names=() pkgs=() e
  for e in "$@"; do
    [[ -x "$out/${e%%=*}" ]] && continue
    names+=("${e%%=*}")
    pkgs+=("${e#*=}")
  done
  ((${#pkgs[@]})) || return 0
  mkdir -p "$out"
  local tmp="$out/.tmp-build" i label total
  label="$(basename "$wdir")"
  rm -rf "$tmp" && mkdir -p "$tmp"
  # Listing the dependencies first downloads every module they need (the long part of a cold
  # build's first minutes) and gives the number of packages to compile.
  log "$label: resolving and downloading modules"
  total="$( (cd "$wdir" && go list -mod=mod -deps "${pkgs[@]}") 2> >(go_progress "$label" 0) | wc -l)"
  log "go build -p $BUILD_P ${names[*]} ($total packages, wrapper $wdir)"
  if ((${#pkgs[@]} == 1)); then
    (cd "$wdir" && go build -v -mod=mod -trimpath -p "$BUILD_P" -ldflags "$ldflags" -o "$tmp/${names[0]}" "${pkgs[0]}") 2>&1 | go_progress "$label" "$total"
  else
    # one go build for several commands shares the compile work; binaries are named
    # after the last path element, which is what NAME is for these packages
    (cd "$wdir" && go build -v -mod=mod -trimpath -p "$BUILD_P" -ldflags "$ldflags" -o "$tmp/" "${pkgs[@]}") 2>&1 | go_progress "$label" "$total"
  fi
  for i in "${!names[@]}"; do
    [[ -x "$tmp/${names[$i]}" ]] || die "go build produced no ${names[$i]}"
    mv -f "$tmp/${names[$i]}" "$out/${names[$i]}"
  done
  rm -rf "$tmp"
}

# Recipe revisions: bump one to force a rebuild of that component's cached binaries
# when the way it is built changes (flags, overlays), even if the version did not.
RECIPE_etcd=1 RECIPE_kubernetes=1 RECIPE_kwok=1 RECIPE_argo=3
RECIPE_prometheus=1 RECIPE_flagger=1 RECIPE_flux=1 RECIPE_gitserver=1

# cached OUT_DIR RECIPE FILE... -> 0 when every FILE exists and OUT_DIR/.recipe == RECIPE.
# With --check a component that is not cached is only named (NOT_BUILT), never built.
NOT_BUILT=()
cached() {
  local out="$1" recipe="$2" f ok=1
  shift 2
  [[ "$(cat "$out/.recipe" 2>/dev/null)" == "$recipe" ]] || ok=0
  for f in "$@"; do [[ -e "$out/$f" ]] || ok=0; done
  ((ok)) && return 0
  if ((CHECK_ONLY)); then NOT_BUILT+=("$(basename "$out")"); return 0; fi
  return 1
}
# begin_build OUT_DIR RECIPE: drop binaries built by another recipe
begin_build() {
  local out="$1" recipe="$2"
  mkdir -p "$out"
  if [[ "$(cat "$out/.recipe" 2>/dev/null)" != "$recipe" ]]; then
    find "$out" -mindepth 1 -maxdepth 1 ! -name '.tmp-build' -exec rm -rf {} +
  fi
}
end_build() { echo "$2" >"$1/.recipe"; }

timed() { # NAME CMD... ; appends the wall time to $SWITCHYARD_CACHE/build-times.log
  local name="$1" t0 t1
  shift
  t0=$(date +%s)
  "$@"
  t1=$(date +%s)
  echo "$(date -u +%FT%TZ) $name $((t1 - t0))s" >>"$SWITCHYARD_CACHE/build-times.log"
  log "$name done in $((t1 - t0))s"
}

build_etcd() {
  local out="$BIN_ROOT/$ETCD_KEY"
  if cached "$out" "$RECIPE_etcd" etcd; then log "etcd $ETCD_VERSION: cached ($out)"; return; fi
  begin_build "$out" "$RECIPE_etcd"
  local w="$WRAP_ROOT/$ETCD_KEY"
  make_wrapper "$w" go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
  # The version string is a constant of go.etcd.io/etcd/api/v3/version (matches the tag).
  go_build "$w" "$out" "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION" \
    etcd=go.etcd.io/etcd/server/v3
  end_build "$out" "$RECIPE_etcd"
}

build_kubernetes() {
  local out="$BIN_ROOT/$K8S_KEY"
  if cached "$out" "$RECIPE_kubernetes" kube-apiserver kube-controller-manager kube-scheduler kubectl; then
    log "kubernetes $K8S_VERSION: cached ($out)"; return
  fi
  begin_build "$out" "$RECIPE_kubernetes"
  local w="$WRAP_ROOT/$K8S_KEY"
  local ver="${K8S_VERSION#v}" major minor staging date
  major="${ver%%.*}"
  minor="${ver#*.}"; minor="${minor%%.*}"
  staging="v0.$minor.${ver##*.}"
  make_wrapper "$w" k8s.io/kubernetes "$K8S_VERSION" "$staging"
  date="$(tag_time "k8s.io/kubernetes@$K8S_VERSION")"
  local ld="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
  done
  go_build "$w" "$out" "$ld" \
    kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver \
    kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager \
    kube-scheduler=k8s.io/kubernetes/cmd/kube-scheduler \
    kubectl=k8s.io/kubernetes/cmd/kubectl
  end_build "$out" "$RECIPE_kubernetes"
}

build_kwok() {
  local out="$BIN_ROOT/$KWOK_KEY"
  if cached "$out" "$RECIPE_kwok" kwok stages; then log "kwok $KWOK_VERSION: cached ($out)"; return; fi
  begin_build "$out" "$RECIPE_kwok"
  # kwok has no replace directives; a wrapper keeps the build identical to the others.
  local w="$WRAP_ROOT/$KWOK_KEY"
  make_wrapper "$w" sigs.k8s.io/kwok "$KWOK_VERSION"
  go_build "$w" "$out" "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v} -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${K8S_VERSION#v}" \
    kwok=sigs.k8s.io/kwok/cmd/kwok
  # Keep upstream's Stage documents for reference (up.sh writes its own, with delays).
  local moddir
  moddir="$(mod_field "sigs.k8s.io/kwok@$KWOK_VERSION" Dir)"
  rm -rf "$out/stages.tmp" && mkdir -p "$out/stages.tmp"
  cp -r "$moddir/kustomize/stage/." "$out/stages.tmp/"
  chmod -R u+w "$out/stages.tmp"
  rm -rf "$out/stages" && mv "$out/stages.tmp" "$out/stages"
  end_build "$out" "$RECIPE_kwok"
}

build_argo() {
  local out="$BIN_ROOT/$ARGO_KEY"
  if cached "$out" "$RECIPE_argo" rollouts-controller crds/rollout-crd.yaml; then log "argo-rollouts $ARGO_ROLLOUTS_VERSION: cached ($out)"; return; fi
  begin_build "$out" "$RECIPE_argo"
  local w="$WRAP_ROOT/$ARGO_KEY" p=github.com/argoproj/argo-rollouts date
  make_wrapper "$w" "$p" "$ARGO_ROLLOUTS_VERSION"
  date="$(tag_time "$p@$ARGO_ROLLOUTS_VERSION")"
  local moddir
  moddir="$(mod_field "$p@$ARGO_ROLLOUTS_VERSION" Dir)"
  # The controller listens for healthz and metrics on a hard-coded "0.0.0.0:%d" (a const,
  # so -ldflags -X cannot change it, and `go build -overlay` refuses files in GOMODCACHE).
  # So the wrapper builds a copy of the module's source with that one line changed to
  # 127.0.0.1 (replace => ./src); everything else is the tagged module as published.
  rm -rf "$w/src.tmp"
  cp -r "$moddir" "$w/src.tmp"
  chmod -R u+w "$w/src.tmp"
  sed -i 's/listenAddr *= *"0\.0\.0\.0:%d"/listenAddr = "127.0.0.1:%d"/' "$w/src.tmp/controller/controller.go"
  grep -q 'listenAddr = "127.0.0.1:%d"' "$w/src.tmp/controller/controller.go" ||
    die "argo-rollouts: listenAddr not found in controller/controller.go"
  rm -rf "$w/src" && mv "$w/src.tmp" "$w/src"
  (cd "$w" && go mod edit -replace="$p=./src")
  go_build "$w" "$out" "-s -w -X $p/utils/version.version=${ARGO_ROLLOUTS_VERSION#v} -X $p/utils/version.buildDate=$date -X $p/utils/version.gitTreeState=clean -X $p/utils/version.gitTag=$ARGO_ROLLOUTS_VERSION" \
    "rollouts-controller=$p/cmd/rollouts-controller"
  rm -rf "$out/crds.tmp" && mkdir -p "$out/crds.tmp"
  cp "$moddir"/manifests/crds/*-crd.yaml "$out/crds.tmp/"
  chmod -R u+w "$out/crds.tmp"
  rm -rf "$out/crds" && mv "$out/crds.tmp" "$out/crds"
  end_build "$out" "$RECIPE_argo"
}

# ---- Prometheus (metrics for the demo's analyses) ----
# Only the server (cmd/prometheus), with static scrape configs: the build tag remove_all_sd
# leaves out every service-discovery plugin (plugins/plugin_*.go are `!remove_all_sd ||
# enable_<name>_sd`; file and http SD stay, see plugins/minimum.go), which drops the cloud
# SDKs from the build. Without the builtinassets tag the web UI is not embedded; the HTTP API
# (/api/v1/..., /-/ready) is all we use.
build_prometheus() {
  local out="$BIN_ROOT/$PROMETHEUS_KEY"
  if cached "$out" "$RECIPE_prometheus" prometheus; then log "prometheus $PROMETHEUS_VERSION: cached ($out)"; return; fi
  begin_build "$out" "$RECIPE_prometheus"
  local w="$WRAP_ROOT/$PROMETHEUS_KEY" p=github.com/prometheus/prometheus date release
  make_wrapper "$w" "$p" "$PROMETHEUS_VERSION"
  date="$(tag_time "$p@$PROMETHEUS_VERSION")"
  # module tag v0.316.0 is release 3.16.0 (the VERSION file of the tag says so)
  release="$(cat "$(mod_field "$p@$PROMETHEUS_VERSION" Dir)/VERSION")"
  local v=github.com/prometheus/common/version
  GOFLAGS="$GOFLAGS -tags=remove_all_sd" go_build "$w" "$out" \
    "-s -w -X $v.Version=$release -X $v.Revision=$PROMETHEUS_VERSION -X $v.Branch=HEAD -X $v.BuildUser=switchyard -X $v.BuildDate=$date" \
    "prometheus=$p/cmd/prometheus"
  end_build "$out" "$RECIPE_prometheus"
}

# ---- Flux: source-controller and kustomize-controller (the GitOps demo's controllers) ----
# Each is its own module with main.go at the root. Their go.mod replace `<module>/api => ./api`
# (make_wrapper drops it) and require that api module at the same tag, which is published, so
# the wrapper resolves it from the module proxy; the other replaces (go-digest, kustomize,
# yaml.v3) are kept. The CRDs are the modules' config/crd/bases (copied next to the binary).
# The module proxy refuses github.com/fluxcd/pkg/artifact v0.18.2 and v0.18.3 ("This module
# version is not available", 403) which source-controller v1.9.6 requires; v0.18.1 is served and
# its go.mod differs from v0.18.3's only in dependency versions (apis/meta, oci, apimachinery,
# x/*), which the wrapper's own requires lift to v0.18.3's anyway. So the wrapper pins it.
FLUX_SOURCE_REPLACES="github.com/fluxcd/pkg/artifact=github.com/fluxcd/pkg/artifact@v0.18.1"
# build_flux_controller NAME VERSION KEY [OLD=NEW@VERSION...]
build_flux_controller() {
  local name="$1" version="$2" key="$3"
  shift 3
  local out="$BIN_ROOT/$key" p="github.com/fluxcd/$name"
  if cached "$out" "$RECIPE_flux" "$name" crds; then log "$name $version: cached ($out)"; return; fi
  begin_build "$out" "$RECIPE_flux"
  local w="$WRAP_ROOT/$key" moddir
  make_wrapper "$w" "$p" "$version"
  local r
  for r in "$@"; do (cd "$w" && go mod edit -replace="$r"); done
  go_build "$w" "$out" "-s -w" "$name=$p"
  moddir="$(mod_field "$p@$version" Dir)"
  rm -rf "$out/crds.tmp" && mkdir -p "$out/crds.tmp"
  cp "$moddir"/config/crd/bases/*.yaml "$out/crds.tmp/"
  chmod -R u+w "$out/crds.tmp"
  rm -rf "$out/crds" && mv "$out/crds.tmp" "$out/crds"
  end_build "$out" "$RECIPE_flux"
}
build_flux_source() { build_flux_controller source-controller "$FLUX_SOURCE_CONTROLLER_VERSION" "$FLUX_SOURCE_KEY" $FLUX_SOURCE_REPLACES; }
build_flux_kustomize() { build_flux_controller kustomize-controller "$FLUX_KUSTOMIZE_CONTROLLER_VERSION" "$FLUX_KUSTOMIZE_KEY"; }

# ---- our own programs: the traffic source (cluster/traffic) and the git server (cluster/gitserver) ----
# build_own DIR KEY NAME: our own stdlib-only programs (cluster/traffic, cluster/gitserver)
build_own() {
  local dir="$1" out="$BIN_ROOT/$2" name="$3"
  if cached "$out" 1 "$name"; then log "$name: cached ($out)"; return; fi
  begin_build "$out" 1
  rm -rf "$out/.tmp-build" && mkdir -p "$out/.tmp-build"
  (cd "$CLUSTER_SRC/$dir" && go build -trimpath -p "$BUILD_P" -ldflags "-s -w" -o "$out/.tmp-build/$name" .)
  mv -f "$out/.tmp-build/$name" "$out/$name"
  rm -rf "$out/.tmp-build"
  end_build "$out" 1
}
build_traffic() { build_own traffic "$TRAFFIC_KEY" traffic; }
build_gitserver() { build_own gitserver "$GITSERVER_KEY" gitserver; }

# ---- Flagger (second progressive delivery engine): controller, load tester, CRDs ----
# Both commands serve HTTP on `":" + port` (pkg/server/server.go ListenAndServe for the
# controller's /healthz and /metrics, pkg/loadtester/server.go ListenAndServe for the load
# tester), i.e. on every interface. As for Argo, the wrapper builds a copy of the tagged source
# with those two lines changed: the controller binds 127.0.0.1; the load tester's -port takes a
# whole listen address (host:port), so up.sh can bind it on one non-loopback address that the API
# server's service proxy accepts (see lib/cluster.sh start_flagger-loadtester).
# The Gateway API CRDs come from the Go module sigs.k8s.io/gateway-api (config/crd/standard),
# only its CustomResourceDefinitions (not the safe-upgrades ValidatingAdmissionPolicy).
build_flagger() {
  local out="$BIN_ROOT/$FLAGGER_KEY"
  if cached "$out" "$RECIPE_flagger" flagger loadtester crds/flagger.yaml crds/gateway-api; then log "flagger $FLAGGER_VERSION: cached ($out)"; return; fi
  begin_build "$out" "$RECIPE_flagger"
  local w="$WRAP_ROOT/$FLAGGER_KEY" p=github.com/fluxcd/flagger moddir gwdir
  make_wrapper "$w" "$p" "$FLAGGER_VERSION"
  moddir="$(mod_field "$p@$FLAGGER_VERSION" Dir)"
  rm -rf "$w/src.tmp"
  cp -r "$moddir" "$w/src.tmp"
  chmod -R u+w "$w/src.tmp"
  sed -i 's/^\([[:space:]]*Addr:[[:space:]]*\)":" + port,$/\1"127.0.0.1:" + port,/' "$w/src.tmp/pkg/server/server.go"
  sed -i 's/^\([[:space:]]*Addr:[[:space:]]*\)":" + port,$/\1port,/' "$w/src.tmp/pkg/loadtester/server.go"
  grep -q '"127.0.0.1:" + port,' "$w/src.tmp/pkg/server/server.go" || die "flagger: Addr not found in pkg/server/server.go"
  grep -Eq 'Addr:[[:space:]]+port,' "$w/src.tmp/pkg/loadtester/server.go" || die "flagger: Addr not found in pkg/loadtester/server.go"
  rm -rf "$w/src" && mv "$w/src.tmp" "$w/src"
  (cd "$w" && go mod edit -replace="$p=./src")
  # version.REVISION is what `flagger -version` prints beside the version (a const in the source)
  go_build "$w" "$out" "-s -w -X $p/pkg/version.REVISION=$FLAGGER_VERSION" \
    "flagger=$p/cmd/flagger" "loadtester=$p/cmd/loadtester"
  gwdir="$(mod_field "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" Dir)"
  rm -rf "$out/crds.tmp" && mkdir -p "$out/crds.tmp/gateway-api"
  cp "$moddir/artifacts/flagger/crd.yaml" "$out/crds.tmp/flagger.yaml"
  local f
  for f in "$gwdir"/config/crd/standard/*.yaml; do
    grep -q '^kind: CustomResourceDefinition$' "$f" && cp "$f" "$out/crds.tmp/gateway-api/"
  done
  chmod -R u+w "$out/crds.tmp"
  rm -rf "$out/crds" && mv "$out/crds.tmp" "$out/crds"
  end_build "$out" "$RECIPE_flagger"
}

CHECK_ONLY=0
main() {
  if [[ "${1:-}" == --check ]]; then CHECK_ONLY=1; shift; fi
  local targets=("$@") t T0
  ((${#targets[@]})) || targets=(all)
  [[ " ${targets[*]} " == *" all "* ]] && targets=(etcd kwok argo-rollouts kubernetes prometheus traffic flagger flux gitserver)
  if ((CHECK_ONLY)); then
    for t in "${targets[@]}"; do
      case "$t" in
        etcd) build_etcd ;; kubernetes | k8s) build_kubernetes ;; kwok) build_kwok ;; argo-rollouts | argo) build_argo ;;
        prometheus) build_prometheus ;;
        flux) build_flux_source; build_flux_kustomize ;;
        flux-source) build_flux_source ;; flux-kustomize) build_flux_kustomize ;;
        traffic) build_traffic ;;
        flagger) build_flagger ;;
        gitserver) build_gitserver ;;
        *) die "unknown target $t" ;;
      esac
    done 2>/dev/null
    ((${#NOT_BUILT[@]} == 0)) && { echo "built: ${targets[*]}"; return 0; }
    echo "not built yet: ${NOT_BUILT[*]}"
    return 1
  fi
  # one build at a time per cache (CI and a developer may share it)
  exec 8>"$SWITCHYARD_CACHE/build.lock"
  if ! flock -n 8; then
    log "another build.sh holds $SWITCHYARD_CACHE/build.lock: waiting"
    flock 8
  fi
  T0=$(date +%s)
  for t in "${targets[@]}"; do
    case "$t" in
      etcd) timed "etcd-$ETCD_VERSION" build_etcd ;;
      kubernetes | k8s) timed "kubernetes-$K8S_VERSION" build_kubernetes ;;
      kwok) timed "kwok-$KWOK_VERSION" build_kwok ;;
      argo-rollouts | argo) timed "argo-rollouts-$ARGO_ROLLOUTS_VERSION" build_argo ;;
      prometheus) timed "prometheus-$PROMETHEUS_VERSION" build_prometheus ;;
      flux)
        timed "$FLUX_SOURCE_KEY" build_flux_source
        timed "$FLUX_KUSTOMIZE_KEY" build_flux_kustomize
        ;;
      flux-source) timed "$FLUX_SOURCE_KEY" build_flux_source ;;
      flux-kustomize) timed "$FLUX_KUSTOMIZE_KEY" build_flux_kustomize ;;
      traffic) timed "$TRAFFIC_KEY" build_traffic ;;
      flagger) timed "flagger-$FLAGGER_VERSION" build_flagger ;;
      gitserver) timed "$GITSERVER_KEY" build_gitserver ;;
      *) die "unknown target $t" ;;
    esac
  done
  log "all requested builds present under $BIN_ROOT ($(($(date +%s) - T0))s)"
}

# sourced (for debugging) -> only define the functions
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then main "$@"; fi

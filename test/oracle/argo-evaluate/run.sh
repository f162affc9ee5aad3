#!/usr/bin/env bash
# Regenerates test/fixtures/analysis/argo-evaluate.jsonl: every case of cases.mjs with the phase and
# error Argo Rollouts v1.9.2's own utils/evaluate.EvaluateResult gives it (the oracle that
# test/unit/analysis-oracle.test.ts holds Switchyard's evaluator to). Builds main.go against the
# Argo source cluster/build.sh keeps in the cache (build argo-rollouts first); offline.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cache="${SWITCHYARD_CACHE:-$HOME/.cache/switchyard}"
wrap="$cache/wrap/argo-rollouts-v1.9.2"
[ -d "$wrap/src" ] || { echo "no $wrap/src: run cluster/build.sh argo-rollouts first" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed -e 's#^module .*#module oracle#' -e "s#=> ./src#=> $wrap/src#" "$wrap/go.mod" > "$work/go.mod"
cp "$wrap/go.sum" "$here/main.go" "$work/"
export GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOFLAGS="-mod=mod -modcacherw -buildvcs=false" GOPROXY=off GOSUMDB=off GOTOOLCHAIN=local GOWORK=off
(cd "$work" && go build -o oracle .)
node "$here/cases.mjs" > "$work/cases.jsonl"
"$work/oracle" < "$work/cases.jsonl" > "$work/answers.jsonl"
node -e '
const fs = require("fs");
const [cases, answers] = process.argv.slice(1, 3).map((f) => fs.readFileSync(f, "utf8").trim().split("\n").map((l) => JSON.parse(l)));
fs.writeFileSync(process.argv[3], cases.map((c, i) => JSON.stringify({ ...c, argo: answers[i] })).join("\n") + "\n");
' "$work/cases.jsonl" "$work/answers.jsonl" "$repo/test/fixtures/analysis/argo-evaluate.jsonl"
echo "wrote $(wc -l < "$repo/test/fixtures/analysis/argo-evaluate.jsonl") cases to test/fixtures/analysis/argo-evaluate.jsonl"

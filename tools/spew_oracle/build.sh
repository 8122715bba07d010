#!/bin/sh
# Build the pod-template-hash oracle (a dev tool; nothing here is used by labsim at run time).
#
# Needs: Debian bookworm packages golang-go (1.19), golang-github-davecgh-go-spew-dev (1.1.1, the
# version kubernetes pins: v1.1.2-0.20180830191138-d8f796af33cc differs from v1.1.1 only in
# .travis.yml) and golang-gopkg-inf.v0-dev; git directories of kubernetes/api and
# kubernetes/apimachinery. Only the files that declare the types reachable from
# core/v1.PodTemplateSpec (and their JSON decoders) are copied; runtime, CBOR and klog are
# replaced by compile stubs (stubs/), which nothing reachable from a PodTemplateSpec uses.
#
# Usage: tools/spew_oracle/build.sh API_GIT_DIR APIMACHINERY_GIT_DIR [TAG] [OUT_DIR]
#   then: OUT_DIR/spew_oracle < cases.jsonl
set -eu
API=$1; AM=$2; TAG=${3:-v0.32.13}; OUT=${4:-/tmp/spew_oracle}
HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf "$OUT"; G="$OUT/gopath"; P="$G/src/k8s.io/apimachinery/pkg"
mkdir -p "$P/api/resource" "$P/util/intstr" "$P/apis/meta/v1" "$P/types" "$P/runtime/serializer/cbor/direct" \
    "$G/src/k8s.io/klog/v2" "$G/src/k8s.io/api/core/v1" "$G/src/spew_oracle"
for f in quantity.go amount.go math.go suffix.go scale_int.go; do
    git --git-dir "$AM" show "$TAG:pkg/api/resource/$f" > "$P/api/resource/$f"; done
git --git-dir "$AM" show "$TAG:pkg/util/intstr/intstr.go" > "$P/util/intstr/intstr.go"
for f in types.go time.go micro_time.go duration.go; do
    git --git-dir "$AM" show "$TAG:pkg/apis/meta/v1/$f" > "$P/apis/meta/v1/$f"; done
for f in doc.go namespacedname.go nodename.go patch.go uid.go; do
    git --git-dir "$AM" show "$TAG:pkg/types/$f" > "$P/types/$f"; done
git --git-dir "$API" show "$TAG:core/v1/types.go" > "$G/src/k8s.io/api/core/v1/types.go"
cp "$HERE/stubs/runtime/stub.go" "$P/runtime/"
cp "$HERE/stubs/cbor_direct/stub.go" "$P/runtime/serializer/cbor/direct/"
cp "$HERE/stubs/klog/stub.go" "$G/src/k8s.io/klog/v2/"
cp "$HERE/main.go" "$G/src/spew_oracle/"
cd "$G/src/spew_oracle"
GOPATH="$G:/usr/share/gocode" GO111MODULE=off GOFLAGS= go build -o "$OUT/spew_oracle" .
echo "$OUT/spew_oracle"

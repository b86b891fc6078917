#!/usr/bin/env bash
# Build the Go HCL parse-only comparator offline, against the HCL library source that Debian ships
# (golang-github-hashicorp-hcl-v2-dev installs it under /usr/share/gocode/src). GOPATH mode needs
# no go.mod, no module proxy and no network: every import resolves inside /usr/share/gocode.
#
# usage: bench/go-hcl/build.sh [OUTPUT]    (default output: bench/out/bin/go-hcl-parse)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../out/bin/go-hcl-parse}"
gocode=/usr/share/gocode

if ! command -v go >/dev/null 2>&1; then
    echo "error: 'go' not found; install it with: apt-get install -y golang-go golang-github-hashicorp-hcl-v2-dev" >&2
    exit 2
fi
if [ ! -d "$gocode/src/github.com/hashicorp/hcl/v2/hclsyntax" ]; then
    echo "error: HCL v2 source not found under $gocode; install it with: apt-get install -y golang-github-hashicorp-hcl-v2-dev" >&2
    exit 2
fi

mkdir -p "$(dirname "$out")"
cache="${GOCACHE:-$here/../out/go-cache}"
mkdir -p "$cache"
# GO111MODULE=off selects GOPATH mode (module flags such as -mod do not apply there); GOPROXY=off
# makes sure nothing is ever fetched.
GO111MODULE=off GOPATH="$gocode" GOPROXY=off GOFLAGS= GOCACHE="$cache" \
    go build -trimpath -o "$out" "$here/main.go"
echo "built $out"

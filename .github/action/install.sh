#!/usr/bin/env bash
# Install step of the cxlint GitHub Action (action.yml). Two sub-commands, one per action step:
#
#   install.sh download   pick the binary version, try the release asset, and otherwise compute
#                         the cache key for a source build. Writes to $GITHUB_OUTPUT:
#                         installed=true|false, bin=<path>, version=<x.y.z>, cache-key, cache-path
#   install.sh build      `cargo install --locked` from the action's own source into the cache
#                         path, then verify the binary runs. Writes bin=<path>.
#
# Inputs (environment): INPUT_VERSION (empty: the version in the action's Cargo.toml; `latest`;
# `source`: always build; or `x.y.z` / `vx.y.z`), GITHUB_ACTION_PATH, GITHUB_ACTION_REPOSITORY,
# GITHUB_SERVER_URL, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT.
# ACTION_CXLINT_RELEASE_BASE overrides the release download base URL (used by the local tests).
#
# Why the download is tried first: building from source costs minutes of runner time on a cache
# miss, while a release asset is one small HTTP request. There are no published releases yet, so
# today every run builds (once per action version and runner type, thanks to the cache).
set -euo pipefail

die() {
    echo "::error title=cxlint action::$*"
    exit 2
}

# Append `key=value` to the step's outputs (or print it when run outside GitHub).
output() {
    if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
        printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
    else
        printf '%s=%s\n' "$1" "$2"
    fi
}

action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
temp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
exe=cxlint
if [[ "${RUNNER_OS:-}" == Windows ]]; then exe=cxlint.exe; fi

# The release asset's target triple for this runner, or empty when no binary is published for it.
target_triple() {
    case "${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}" in
    Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64 | Linux/aarch64) echo aarch64-unknown-linux-musl ;;
    macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
    macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) echo "" ;;
    esac
}

# sha256 of standard input, hex only (coreutils on Linux/Windows, shasum on macOS).
sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum | cut -d' ' -f1
    else
        shasum -a 256 | cut -d' ' -f1
    fi
}

# The package version declared in the action's Cargo.toml (the first `version = ` line is the
# [package] one, by Cargo.toml's layout).
source_version() {
    sed -n 's/^version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$action_path/Cargo.toml" | head -n1
}

# A key that changes whenever the built binary could: the lock file and every source file the
# build reads. The action ref alone is not enough (a branch ref moves), and `hashFiles()` cannot
# be used because it only sees files inside the workspace, not the action's checkout.
source_hash() {
    (
        cd "$action_path"
        local roots=() r
        for r in Cargo.toml Cargo.lock build.rs src data; do
            if [[ -e "$r" ]]; then roots+=("$r"); fi
        done
        find "${roots[@]}" -type f | LC_ALL=C sort |
            while IFS= read -r f; do
                printf '%s\n' "$f"
                sha256 <"$f"
            done
    ) | sha256
}

# owner/name of the action's repository. `github.action_repository` is not reliably set inside
# composite actions (actions/runner#2473), so fall back to the checkout path the runner uses,
# `.../_actions/<owner>/<name>/<ref>`, then to Cargo.toml's `repository`.
action_repository() {
    if [[ -n "${GITHUB_ACTION_REPOSITORY:-}" ]]; then
        echo "$GITHUB_ACTION_REPOSITORY"
        return
    fi
    local p="${action_path//\\//}"
    if [[ "$p" == */_actions/*/*/* ]]; then
        p="${p#*/_actions/}"
        echo "${p%%/*}/$(echo "$p" | cut -d/ -f2)"
        return
    fi
    sed -n 's|^repository[[:space:]]*=[[:space:]]*"https://github.com/\([^"]*\)".*|\1|p' "$action_path/Cargo.toml" | head -n1
}

download() {
    local requested="${INPUT_VERSION:-}" version url base triple dir
    requested="${requested#v}"
    case "$requested" in
    "") version="$(source_version)" ;;
    *) version="$requested" ;;
    esac
    [[ -n "$version" ]] || die "cannot read the version from $action_path/Cargo.toml"
    output version "$version"

    dir="$temp/cxlint-action/release-$version"
    triple="$(target_triple)"
    if [[ "$version" != source && -n "$triple" ]]; then
        base="${ACTION_CXLINT_RELEASE_BASE:-${GITHUB_SERVER_URL:-https://github.com}/$(action_repository)/releases}"
        if [[ "$version" == latest ]]; then
            url="$base/latest/download/cxlint-$triple.tar.gz"
        else
            url="$base/download/v$version/cxlint-$triple.tar.gz"
        fi
        echo "cxlint: trying the release binary $url"
        mkdir -p "$dir"
        if curl --fail --silent --show-error --location --retry 2 --output "$dir/cxlint.tar.gz" "$url" 2>"$dir/curl.log"; then
            # A published checksum is verified; without one, the HTTPS download from the action's
            # own repository is trusted as much as the action's code itself.
            if curl --fail --silent --location --output "$dir/cxlint.tar.gz.sha256" "$url.sha256" 2>/dev/null; then
                local want got
                want="$(cut -d' ' -f1 <"$dir/cxlint.tar.gz.sha256")"
                got="$(sha256 <"$dir/cxlint.tar.gz")"
                [[ "$want" == "$got" ]] || die "checksum mismatch for $url (expected $want, got $got)"
            fi
            # Relative names: GNU tar (Git Bash on Windows) reads `D:\...` as a remote host.
            (cd "$dir" && tar -xzf cxlint.tar.gz)
            local bin
            bin="$(find "$dir" -type f -name "$exe" | head -n1)"
            if [[ -n "$bin" ]]; then
                chmod +x "$bin"
                if "$bin" --version >/dev/null 2>&1; then
                    echo "cxlint: using the release binary $("$bin" --version)"
                    output installed true
                    output bin "$bin"
                    return 0
                fi
            fi
            echo "cxlint: the release archive has no working $exe; building from source instead"
        else
            echo "cxlint: no release binary for v$version on $triple ($(tr '\n' ' ' <"$dir/curl.log")); building from source"
        fi
    elif [[ -z "$triple" ]]; then
        echo "cxlint: no release binaries are published for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}; building from source"
    fi

    local root="$temp/cxlint-action/build"
    output installed false
    output cache-path "$root"
    output cache-key "cxlint-${RUNNER_OS:-local}-${RUNNER_ARCH:-local}-$(source_version)-$(source_hash)"
    output bin "$root/bin/$exe"
}

build() {
    local root="${ACTION_CXLINT_ROOT:-$temp/cxlint-action/build}" bin
    bin="$root/bin/$exe"
    if [[ -x "$bin" ]] && "$bin" --version >/dev/null 2>&1; then
        echo "cxlint: using the cached build $("$bin" --version)"
    else
        command -v cargo >/dev/null 2>&1 ||
            die "no cxlint release binary was found and cargo is not installed: add a Rust toolchain step (e.g. dtolnay/rust-toolchain@stable) before this action"
        echo "cxlint: building from source with cargo (cached for the next runs)"
        cargo install --locked --path "$action_path" --root "$root" ||
            die "cargo install failed"
    fi
    "$bin" --version >/dev/null || die "the built binary $bin does not run"
    output bin "$bin"
}

case "${1:-}" in
download) download ;;
build) build ;;
*)
    echo "usage: install.sh download|build" >&2
    exit 2
    ;;
esac

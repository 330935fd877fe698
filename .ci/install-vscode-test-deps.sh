#!/usr/bin/env bash
# Installs what the integration tests need to run a real VS Code offline: Debian's Chromium and
# ripgrep, the headers code-server's native modules build against, and code-server itself in a
# cache folder outside node_modules (300 MiB, Node 20). Idempotent: each step is skipped when its
# result is already there and works. Used by .ci/run (root, CI=true, no stdin) and by developers,
# directly or through `node scripts/ensure-code-server.mjs`.
#
# Environment:
#   GIT_INCIDENTS_VSCODE_DIR  where code-server goes
#                             (default: $HOME/.cache/git-incidents/code-server-4.100.3)
set -euo pipefail

# 4.100.3 is the last code-server release that runs on Node 20 (4.103 needs Node 22).
CODE_SERVER_VERSION=4.100.3
# The @vscode/ripgrep that code-server 4.100.3 nests, and the ripgrep archive it would download.
VSCODE_RIPGREP_VERSION=1.15.11
RIPGREP_RELEASE=v13.0.0-10

default_dir="$HOME/.cache/git-incidents/code-server-$CODE_SERVER_VERSION"
vscode_dir="${GIT_INCIDENTS_VSCODE_DIR:-$default_dir}"
entry="$vscode_dir/node_modules/code-server/out/node/entry.js"

log() { printf '[install-vscode-test-deps] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    log "need root for: $* (run this script as root, or install sudo)"
    exit 1
  fi
}

install_debian_packages() {
  local wanted=(chromium ripgrep libkrb5-dev pkg-config) missing=() pkg
  for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" = 0 ]; then
    log "Debian packages already installed: ${wanted[*]}"
    return
  fi

  log "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" </dev/null
}

ripgrep_target() {
  case "$(uname -m)" in
    x86_64) echo x86_64-unknown-linux-musl ;;
    aarch64 | arm64) echo aarch64-unknown-linux-musl ;;
    *)
      log "no ripgrep cache name known for $(uname -m)"
      exit 1
      ;;
  esac
}

# @vscode/ripgrep's postinstall downloads ripgrep from the internet unless its cache in
# os.tmpdir() already holds the release archive; Debian's rg stands in for it.
seed_ripgrep_cache() {
  local cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$VSCODE_RIPGREP_VERSION"
  local archive="$cache/ripgrep-$RIPGREP_RELEASE-$(ripgrep_target).tar.gz"
  if [ -s "$archive" ] && tar -tzf "$archive" 2>/dev/null | grep -qx 'rg'; then
    log "ripgrep cache already there: $archive"
    return
  fi

  local rg_bin staging
  rg_bin="$(command -v rg)"
  staging="$(mktemp -d)"
  cp "$rg_bin" "$staging/rg"
  mkdir -p "$cache"
  tar -czf "$archive.partial" -C "$staging" rg
  mv "$archive.partial" "$archive"
  rm -rf "$staging"
  log "ripgrep cache written: $archive"
}

# The marker is written last, so an interrupted install never looks like a finished one.
marker="$vscode_dir/.installed-$CODE_SERVER_VERSION"

code_server_works() {
  [ -f "$marker" ] && [ -f "$entry" ] || return 1
  local version
  version="$(node "$entry" --version 2>/dev/null | head -n 1)" || return 1
  case "$version" in
    "$CODE_SERVER_VERSION"*) return 0 ;;
    *) return 1 ;;
  esac
}

install_code_server() {
  if code_server_works; then
    log "code-server $CODE_SERVER_VERSION already installed: $vscode_dir"
    return
  fi

  # Installed in place rather than moved afterwards: native modules are built there.
  rm -rf "$vscode_dir"
  mkdir -p "$vscode_dir"
  # A package.json of its own keeps npm from walking up into an enclosing project.
  printf '{ "private": true, "name": "git-incidents-code-server" }\n' >"$vscode_dir/package.json"

  log "installing code-server@$CODE_SERVER_VERSION into $vscode_dir (about 1 min)"
  # As root, code-server's postinstall needs unsafe-perm; npm 11 warns about it yet honours it.
  (
    cd "$vscode_dir"
    npm_config_yes=true npm install --no-audit --no-fund --unsafe-perm \
      "code-server@$CODE_SERVER_VERSION" </dev/null
  )

  if ! node "$entry" --version >/dev/null; then
    log "code-server installed but does not start: node $entry --version failed"
    exit 1
  fi
  touch "$marker"
  log "code-server ready: $entry"
}

install_debian_packages
seed_ripgrep_cache
install_code_server

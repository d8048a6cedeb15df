#!/usr/bin/env bash
# Prints the path of a Go toolchain that can build Chancery. A Go of 1.21 or later fetches
# the version go.mod asks for by itself (GOTOOLCHAIN). Without one (Debian 12 ships 1.19),
# the toolchain go.mod names is fetched once from the Go module proxy into
# ~/.cache/chancery-go and used from there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
want=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$root/go.mod")
ok() { # a go of 1.21 or later
  local v
  v=$("$1" env GOVERSION 2>/dev/null) || return 1
  v=${v#go}
  [ "$(printf '%s\n' 1.21 "$v" | sort -V | head -1)" = 1.21 ]
}
for g in "$(command -v go || true)" /usr/local/go/bin/go "$HOME/go/bin/go"; do
  if [ -n "$g" ] && [ -x "$g" ] && ok "$g"; then echo "$g"; exit 0; fi
done
dir="$HOME/.cache/chancery-go/go$want"
if [ ! -x "$dir/bin/go" ]; then
  arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
  proxy=${GOPROXY:-https://proxy.golang.org}
  proxy=${proxy%%,*}
  url="$proxy/golang.org/toolchain/@v/v0.0.1-go$want.linux-$arch.zip"
  echo "fetching Go $want from $url" >&2
  tmp=$(mktemp -d)
  curl -sSfL -o "$tmp/go.zip" "$url"
  unzip -q "$tmp/go.zip" -d "$tmp"
  mkdir -p "$(dirname "$dir")"
  rm -rf "$dir"
  mv "$tmp/golang.org/toolchain@v0.0.1-go$want.linux-$arch" "$dir"
  chmod +x "$dir/bin/"* "$dir/pkg/tool/"*/* 2>/dev/null || true
  rm -rf "$tmp"
fi
echo "$dir/bin/go"

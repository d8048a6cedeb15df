#!/usr/bin/env bash
# The window on a large knowledge base (issue 15): a bare Fyne window's start against
# Chancery's on DATADIR (the same binary: CHANCERY_BARE_WINDOW=1 opens only a plain window),
# timed from exec to the window and to "usable" (a query typed as soon as the window shows,
# to its settled results), medians and the ratio; VmRSS and VmHWM after ten searches typed;
# the results list and the Documents list scrolled (wheel steps and flings), each
# step's frame change timed, p95 and max. Timings come from Xvfb's framebuffer file, read
# by .ci/guiscale.go; screenshots (start, a search, the lists scrolled) go to OUTDIR.
# It prints figures and never fails on a timing; it fails when a step cannot be done.
# RUNS=N starts of each window (default 3); GUISCALE_FLAGS passes more (go run
# .ci/guiscale.go -h).
# Build a knowledge base for it with:
#   chancery --data DIR import --paragraphs ../shared/corpora/ungd/ungd-1946-2024.jsonl.gz
# (--limit N for fewer items). Usage: .ci/gui-scale.sh BINARY DATADIR OUTDIR
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 BINARY DATADIR OUTDIR" >&2; exit 2; }
bin=$(realpath "$1")
data=$(realpath "$2")
out=$(mkdir -p "$3" && realpath "$3")
root=$(cd "$(dirname "$0")/.." && pwd)
GO=${GO:-go}
[ -f "$data/chancery.db" ] || { echo "$data holds no knowledge base (chancery.db)" >&2; exit 1; }

home=$(mktemp -d) # Fyne's preferences: a fresh user, the same for both windows
mkdir -p "$home/.cache" "$home/.config"
fbdir=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
tools=$(mktemp -d)
xvfb=""
cleanup() {
  [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
  rm -rf "$home" "$fbdir" "$tools" || true
}
trap cleanup EXIT

(cd "$root" && CGO_ENABLED=0 "$GO" build -o "$tools/guiscale" .ci/guiscale.go .ci/xwd.go)
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x860x24 -fbdir "$fbdir" -nolisten tcp > "$out/xvfb.log" 2>&1 &
xvfb=$!
for _ in $(seq 1 100); do [ -s "$fbdir/Xvfb_screen0" ] && break; sleep 0.05; done
export DISPLAY=$display LANG=en_US.UTF-8 HOME=$home XDG_CONFIG_HOME=$home/.config
items=$("$bin" --data "$data" check 2>/dev/null | grep -oE '[0-9,]+ items' | head -1 || true)
echo "gui-scale: $data ${items:+($items)}, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# A bounded run: the whole measurement stops after 15 minutes.
timeout 900 "$tools/guiscale" -bin "$bin" -data "$data" -out "$out" -fb "$fbdir/Xvfb_screen0" -runs "${RUNS:-3}" ${GUISCALE_FLAGS:-}
echo "gui-scale: load after $(cut -d' ' -f1-3 /proc/loadavg); screenshots in $out"

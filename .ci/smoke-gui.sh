#!/usr/bin/env bash
# Starts the real binary under Xvfb on the example knowledge base, types a search, and
# takes screenshots; fails when the window does not come up or the screen stays blank.
# Usage: .ci/smoke-gui.sh BINARY OUTDIR
set -euo pipefail
bin=$(realpath "$1")
out=$2
mkdir -p "$out"
data=$(mktemp -d)
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$data"' EXIT
"$bin" --data "$data" demo > "$out/demo.log" 2>&1
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x860x24 -nolisten tcp > "$out/xvfb.log" 2>&1 &
xvfb=$!
sleep 1
export DISPLAY=$display LANG=en_US.UTF-8
dbus-launch --exit-with-session true > /dev/null 2>&1 || true
"$bin" --data "$data" > "$out/app.log" 2>&1 &
app=$!
# Wait for the window.
for _ in $(seq 1 60); do
  if xdotool search --name '^Chancery' > /dev/null 2>&1; then break; fi
  if ! kill -0 "$app" 2>/dev/null; then echo "the app exited:"; cat "$out/app.log"; exit 1; fi
  sleep 0.5
done
win=$(xdotool search --name '^Chancery' | head -1)
[ -n "$win" ] || { echo "no Chancery window appeared"; cat "$out/app.log"; exit 1; }
sleep 2
import -window root "$out/start.png"
xdotool type --delay 60 'oil spill'
sleep 2
import -window root "$out/search.png"
xdotool key Return
sleep 2
import -window root "$out/open.png"
# Not blank: a screenshot of a real window has many colours.
for shot in start search open; do
  colours=$(identify -format '%k' "$out/$shot.png")
  echo "$shot.png: $colours colours"
  [ "$colours" -gt 50 ] || { echo "$shot.png looks blank"; exit 1; }
done
kill -0 "$app" || { echo "the app died"; cat "$out/app.log"; exit 1; }
echo "GUI smoke test passed; screenshots in $out"

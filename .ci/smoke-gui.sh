#!/usr/bin/env bash
# Starts the real binary under Xvfb on the example knowledge base and walks one scenario,
# taking a screenshot at each step: start, search "oil spill", open the top result (Enter),
# quick-open a contact (Ctrl+K), list the contacts (Ctrl+3), quit (Ctrl+Q). Fails when the
# window does not come up, a screen stays blank, or the app does not quit cleanly.
# Usage: .ci/smoke-gui.sh BINARY OUTDIR
set -euo pipefail
bin=$(realpath "$1")
out=$2
mkdir -p "$out"
data=$(mktemp -d)
home=$(mktemp -d) # Fyne's preferences: a fresh user, so the window opens on the search
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$data" "$home"' EXIT
"$bin" --data "$data" demo > "$out/demo.log" 2>&1
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x860x24 -nolisten tcp > "$out/xvfb.log" 2>&1 &
xvfb=$!
sleep 1
export DISPLAY=$display LANG=en_US.UTF-8 HOME=$home XDG_CONFIG_HOME=$home/.config
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
# No window manager under Xvfb: place and size the window ourselves.
xdotool windowmove "$win" 0 0 windowsize "$win" 1280 860 || true
sleep 2
shot() { import -window root "$out/$1.png"; echo "step: $1"; }
shot 1-start
xdotool type --delay 60 'oil spill'
sleep 2
shot 2-search
xdotool key Return
sleep 2
shot 3-open
xdotool key ctrl+k
sleep 1
xdotool type --delay 60 'obi'
sleep 1
shot 4-quick-open
xdotool key Return
sleep 1
xdotool key ctrl+3
sleep 2
shot 5-contacts
# Not blank: a screenshot of a real window has many colours.
for shot in 1-start 2-search 3-open 4-quick-open 5-contacts; do
  colours=$(identify -format '%k' "$out/$shot.png")
  echo "$shot.png: $colours colours"
  [ "$colours" -gt 50 ] || { echo "$shot.png looks blank"; exit 1; }
done
kill -0 "$app" || { echo "the app died"; cat "$out/app.log"; exit 1; }
# Ctrl+Q saves and closes; the app must exit by itself.
xdotool key ctrl+q
for _ in $(seq 1 20); do
  kill -0 "$app" 2>/dev/null || break
  sleep 0.5
done
if kill -0 "$app" 2>/dev/null; then echo "the app did not quit on Ctrl+Q"; cat "$out/app.log"; exit 1; fi
wait "$app" || { echo "the app exited with an error"; cat "$out/app.log"; exit 1; }
echo "GUI smoke test passed; screenshots in $out"

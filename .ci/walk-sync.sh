#!/usr/bin/env bash
# Team sync in the real app (issue 16, "Done when"): two desks, two app windows under Xvfb
# (one display each), sharing one remote (a shared folder: remote = "dir"), driven by
# xdotool with the app's shortcuts.
#
#  1. Desk A loads the example knowledge base and syncs it; desk B joins from an empty
#     data folder by syncing (so both hold the same items, with the same IDs).
#  2. On A a call is logged on the Kassiba (Ossera river) incident's call sheet; it is sent
#     by itself after the save settles. B syncs now (Ctrl+Shift+S) and its call sheet
#     shows the call.
#  3. The same note is edited on both desks; B's round finds the conflict; the status line
#     counts it; the Conflicts view (Ctrl+Shift+C) shows both versions; B merges
#     (Ctrl+Shift+M, types, Ctrl+S). A syncs and holds the merge.
#  4. With the apps closed, the command line checks both stores (the call, the merged
#     note, no open conflict on B) and `chancery check` on each.
#
# Screenshots go to OUTDIR (keep them out of git). Bounded: every wait has a limit, and the
# apps and displays are stopped on exit.
# Usage: .ci/walk-sync.sh BINARY OUTDIR
set -euo pipefail
bin=$(realpath "$1")
out=$(mkdir -p "$2" && realpath "$2")
work=$(mktemp -d)
A=$work/deskA B=$work/deskB R=$work/remote
mkdir -p "$R" "$work/homeA" "$work/homeB"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  rm -rf "$work" || true
}
trap cleanup EXIT
step() { echo "walk-sync: $*"; }

step "desk A: the example knowledge base; the desks' keys"
"$bin" --data "$A" demo > "$out/demo.log" 2>&1
mkdir -p "$B"
lineA=$("$bin" --data "$A" sync key)
lineB=$("$bin" --data "$B" sync key)
# The administrator names the desks in the policy (the key line's second field).
lineA=$(awk '{ $2 = "desk-A"; print }' <<<"$lineA")
lineB=$(awk '{ $2 = "desk-B"; print }' <<<"$lineB")
cat > "$work/policy.toml" <<EOF
[sync]
remote = "dir"
path = "$R"
ceiling = "RESTRICTED"
recipients = ["${lineA##* }", "${lineB##* }"]
team = ["$lineA", "$lineB"]
EOF
export CHANCERY_POLICY=$work/policy.toml
"$bin" --data "$A" sync --once > "$out/sync-A-first.txt"
"$bin" --data "$B" sync --once > "$out/sync-B-join.txt"
cat "$out/sync-B-join.txt" | head -1

dA=:$((150 + RANDOM % 40))
dB=:$((200 + RANDOM % 40))
for d in "$dA" "$dB"; do
  Xvfb "$d" -screen 0 1280x860x24 -nolisten tcp > "$out/xvfb${d#:}.log" 2>&1 &
  pids+=($!)
done
sleep 1
export LANG=en_US.UTF-8
launch() { # DESK DISPLAY DATA HOME
  DISPLAY=$2 HOME=$4 XDG_CONFIG_HOME=$4/.config "$bin" --data "$3" > "$out/app-$1.log" 2>&1 &
  pids+=($!)
}
launch A "$dA" "$A" "$work/homeA"
launch B "$dB" "$B" "$work/homeB"
waitwin() {
  for _ in $(seq 1 100); do
    DISPLAY=$1 xdotool search --name '^Chancery' > /dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "no window on $1"; exit 1
}
waitwin "$dA"; waitwin "$dB"
sleep 4 # the first round of each
k() { local d=$1; shift; DISPLAY=$d xdotool key --delay 60 "$@"; sleep 0.4; }
ty() { DISPLAY=$1 xdotool type --delay 12 "$2"; sleep 0.3; }
n=0
shot() { n=$((n + 1)); DISPLAY=$1 import -window root "$out/$(printf %02d $n)-$2.png"; }
shot "$dA" A-start
shot "$dB" B-joined

step "desk A: log a call on the incident's call sheet"
k "$dA" ctrl+shift+i; ty "$dA" Ossera; k "$dA" Return; sleep 1
k "$dA" alt+2; k "$dA" alt+l
ty "$dA" '4Duty officer in Cotonou confirms receipt (logged on desk A).'
k "$dA" Return
sleep 5 # the save settles (3 s), then the round sends it
shot "$dA" A-call-logged

step "desk B: sync now; the call is there"
k "$dB" ctrl+shift+s; sleep 3
k "$dB" ctrl+shift+i; ty "$dB" Ossera; k "$dB" Return; sleep 1
k "$dB" alt+2; sleep 1
shot "$dB" B-call-arrived

step "both desks edit the same note"
edit() { # DISPLAY TEXT
  k "$1" ctrl+1; sleep 0.5
  k "$1" ctrl+k; ty "$1" "$NOTE"; sleep 0.8; k "$1" Return; sleep 1
  k "$1" ctrl+e; sleep 0.8
  ty "$1" "$2"
  k "$1" ctrl+s; sleep 0.5
  k "$1" ctrl+e # back to reading it: the view follows what sync writes
}
NOTE=${NOTE:-NOSDRA}
edit "$dA" 'Desk A: booms are on site at the intake. '
sleep 5 # A's round sends it
shot "$dA" A-edited
edit "$dB" 'Desk B: the ministry orders three more booms. '
sleep 6 # B's round sends its edit and finds A's: a conflict
shot "$dB" B-conflict-in-status
k "$dB" ctrl+shift+c; sleep 1.5
shot "$dB" B-conflicts-view

step "desk B: merge in the Conflicts view"
k "$dB" ctrl+shift+m; sleep 1
ty "$dB" 'Desk A: booms are on site at the intake. '
shot "$dB" B-merge-editor
k "$dB" ctrl+s; sleep 2
shot "$dB" B-resolved
k "$dB" Escape
sleep 4 # the resolution's commit settles and is sent
k "$dB" ctrl+shift+s; sleep 3
shot "$dB" B-after
k "$dA" ctrl+shift+s; sleep 4
shot "$dA" A-after

for png in "$out"/[0-9]*.png; do
  colours=$(identify -format '%k' "$png")
  [ "$colours" -gt 50 ] || { echo "$png looks blank"; exit 1; }
done
step "close both apps; check the stores"
k "$dA" ctrl+q; k "$dB" ctrl+q
sleep 3
"$bin" --data "$A" sync status > "$out/status-A.txt" 2>&1 || true
"$bin" --data "$B" sync status > "$out/status-B.txt" 2>&1 || true
"$bin" --data "$A" conflicts > "$out/conflicts-A.txt" 2>&1 || true
"$bin" --data "$B" conflicts > "$out/conflicts-B.txt" 2>&1 || true
"$bin" --data "$B" incident show ossera > "$out/incident-B.txt" 2>&1 || true
"$bin" --data "$A" check > "$out/check-A.txt" 2>&1 && "$bin" --data "$B" check > "$out/check-B.txt" 2>&1 || { echo "chancery check failed"; cat "$out"/check-*.txt; exit 1; }
grep -q 'logged on desk A' "$out/incident-B.txt" || { echo "desk B does not hold the call logged on desk A"; exit 1; }
for d in A B; do # the merge, on both desks: what both typed
  dir=$A; [ $d = B ] && dir=$B
  "$bin" --data "$dir" search '"booms are on site" "ministry orders three more booms"' > "$out/merged-$d.txt" 2>&1 || true
  grep -q NOSDRA "$out/merged-$d.txt" || { echo "desk $d does not hold the merged note"; cat "$out/merged-$d.txt"; exit 1; }
done
grep -q '^0 conflict' "$out/conflicts-A.txt" && grep -q '^0 conflict' "$out/conflicts-B.txt" || { echo "conflicts left open"; exit 1; }
echo "walk-sync: done; screenshots in $out"

#!/usr/bin/env bash
# The package graph points one way (README, "How the code is laid out"). Checked by
# `make vet`; prints what breaks a rule and fails.
set -euo pipefail
GO=${GO:-go}
TAGS=${TAGS:-ci}
fail=0
ours() { CGO_ENABLED=0 $GO list -tags "$TAGS" -deps "$1" | grep '^chancery' | grep -vx "$1" || true; }
imports() { CGO_ENABLED=0 $GO list -tags "$TAGS" -f '{{join .Imports "\n"}}' "$1" | grep '^chancery' || true; }

if deps=$(ours chancery/store) && [ -n "$deps" ]; then
  echo "graph: store depends on packages of ours: $deps"; fail=1
fi
if deps=$(imports chancery/search | grep -vx chancery/store) && [ -n "$deps" ]; then
  echo "graph: search imports more than store among ours: $deps"; fail=1
fi
for p in $(CGO_ENABLED=0 $GO list -tags "$TAGS" ./...); do
  d=$(CGO_ENABLED=0 $GO list -tags "$TAGS" -deps "$p")
  if grep -qx chancery/ui <<<"$d" && grep -qx chancery/store/importer <<<"$d" && [ "$p" != chancery/cmd/chancery ]; then
    echo "graph: $p brings ui and store/importer together; only cmd/chancery may"; fail=1
  fi
done
# The index follows the store by itself: no caller catches it up.
if hits=$(grep -rn --include='*.go' -E '\b(ix|index|Index|Searcher|searcher)\.Sync\(|\.Follow\(|\bSync: *func' cmd ui) ; then
  echo "graph: index catch-up calls remain:"; echo "$hits"; fail=1
fi
exit $fail

#!/usr/bin/env bash
# CI's checks of what `make dist` built (run after it): the .deb installs with dpkg, its
# chancery reports FyneApp.toml's version and runs `check`, and it removes cleanly; the
# Windows .exe is a PE32+ GUI executable with an icon and the version; SHA256SUMS agrees.
# As root the .deb goes into this machine (and is removed again); otherwise into a scratch
# root (dpkg --root, dependencies not checked).
# Environment: GO (the go command), BUILD_NUMBER (default 1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
GO=${GO:-go}
BUILD_NUMBER=${BUILD_NUMBER:-1}
version=$(sed -n '/^\[Details\]/,/^\[/s/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\(.*\)"/\1/p' FyneApp.toml)
deb=$(ls dist/chancery_"$version"-"$BUILD_NUMBER"_amd64.deb)
want="chancery version $version (build $BUILD_NUMBER)"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "== $deb"
dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Depends\|Installed-Size\):/  \1:/p'
if [ "$(id -u)" -eq 0 ]; then
  dpkg -i "$deb"
  bin=/usr/bin/chancery
  files=$(dpkg -L chancery)
else
  mkdir -p "$scratch/root/var/lib/dpkg/updates" "$scratch/root/var/lib/dpkg/info"
  touch "$scratch/root/var/lib/dpkg/status"
  dpkg --root="$scratch/root" --force-not-root --force-depends --force-script-chrootless -i "$deb" > "$scratch/dpkg.log" 2>&1 ||
    { cat "$scratch/dpkg.log"; exit 1; }
  echo "  installed into the scratch root $scratch/root (not root: dependencies not checked)"
  bin=$scratch/root/usr/bin/chancery
  files=$(dpkg --root="$scratch/root" -L chancery)
fi
echo "$files" | grep -q '/usr/share/applications/org.chancery.Chancery.desktop' || { echo "no .desktop entry installed"; exit 1; }
got=$("$bin" --version)
[ "$got" = "$want" ] || { echo "installed chancery says '$got', want '$want'"; exit 1; }
echo "  $bin --version: $got"
"$bin" --data "$scratch/kb" demo > /dev/null
"$bin" --data "$scratch/kb" check | sed 's/^/  check: /'
if [ "$(id -u)" -eq 0 ]; then
  dpkg -r chancery > /dev/null
  for f in $files; do
    if [ -f "$f" ]; then echo "left behind after dpkg -r: $f"; exit 1; fi
  done
  ! dpkg -s chancery 2>/dev/null | grep -q '^Status: install ok installed' || { echo "still installed after dpkg -r"; exit 1; }
  echo "  dpkg -r: removed, no files left behind"
fi

for exe in dist/*-windows-amd64.exe; do
  [ -e "$exe" ] || continue
  echo "== $exe"
  file "$exe" | sed 's/^/  /'
  (cd "$root" && "$GO" run .ci/pecheck.go "$exe" "$version" "$BUILD_NUMBER") | sed 's/^/  /'
done
for msi in dist/*-windows-amd64.msi; do
  [ -e "$msi" ] || continue
  echo "== $msi"
  file "$msi" | sed 's/^/  /'
  if command -v msiinfo > /dev/null; then
    msiinfo export "$msi" Property | grep -E '^(ProductName|ProductVersion|ALLUSERS)' | sed 's/^/  /' || true
  fi
done
echo "== SHA256SUMS"
(cd dist && sha256sum --check --quiet SHA256SUMS) && echo "  all $(wc -l < dist/SHA256SUMS) files match"

#!/usr/bin/env bash
# Builds Chancery's packages into dist/ from FyneApp.toml alone (name, ID, version, icon);
# the build number comes from $BUILD_NUMBER (default 1). FyneApp.toml in the repository is
# never rewritten: `fyne package` runs on a staged copy of the main package (dist/_stage/),
# where it may write fyne_metadata_init.go and bump Build as it likes.
#
# Usage: .ci/dist.sh linux|windows|sums ...
#   linux    dist/Chancery-VERSION-linux-amd64.tar.xz (fyne package: binary, .desktop,
#            icon, Makefile) and dist/chancery_VERSION-BUILD_amd64.deb
#   windows  dist/Chancery-VERSION-windows-amd64.exe (GUI, icon, version resource) and
#            dist/Chancery-VERSION-windows-amd64.msi (per-machine), signed when a
#            certificate is given (see .ci/sign.sh), else said to be unsigned
#   sums     dist/SHA256SUMS over everything in dist/
# Environment: GO (the go command), FYNE (the fyne CLI, a host binary), BUILD_NUMBER.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
GO=${GO:-go}
FYNE=${FYNE:-$root/bin/fyne}
BUILD_NUMBER=${BUILD_NUMBER:-1}
[[ $BUILD_NUMBER =~ ^[1-9][0-9]*$ ]] || { echo "BUILD_NUMBER must be a whole number above 0, not '$BUILD_NUMBER'" >&2; exit 1; }
GOROOT_BIN=$(dirname "$GO")
export PATH="$GOROOT_BIN:$PATH"   # fyne package runs `go`

# One TOML reader for the whole script: Details.KEY from FyneApp.toml.
meta() { sed -n "/^\[Details\]/,/^\[/s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\{0,1\}\([^\"]*\)\"\{0,1\}[[:space:]]*$/\1/p" FyneApp.toml | head -1; }
NAME=$(meta Name)
ID=$(meta ID)
VERSION=$(meta Version)
ICON=$(meta Icon)
WEBSITE=$(sed -n 's/^Website[[:space:]]*=[[:space:]]*"\(.*\)"/\1/p' FyneApp.toml)
DESCRIPTION=$(sed -n '/^\[LinuxAndBSD\]/,/^\[/s/^[[:space:]]*Comment[[:space:]]*=[[:space:]]*"\(.*\)"/\1/p' FyneApp.toml)
for v in NAME ID VERSION ICON DESCRIPTION; do
  [ -n "${!v}" ] || { echo "FyneApp.toml: no ${v,,} ([Details], or [LinuxAndBSD] Comment)" >&2; exit 1; }
done
[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "FyneApp.toml: Version must be x.y.z, not '$VERSION'" >&2; exit 1; }
exe=$(echo "$NAME" | tr '[:upper:]' '[:lower:]')
mkdir -p dist

# stage GOOS: a copy of cmd/chancery beside a copy of FyneApp.toml whose icon and build
# number are set for this build.
stage() {
  # fyne names the executable after the folder.
  local dir=dist/_stage/$1/$exe
  rm -rf "$dir"
  mkdir -p "$dir"
  find cmd/chancery -maxdepth 1 -name '*.go' ! -name '*_test.go' ! -name 'fyne_metadata_init.go' -exec cp {} "$dir/" \;
  cp "$ICON" "$dir/Icon.png"
  sed -e 's|^\([[:space:]]*Icon[[:space:]]*=\).*|\1 "Icon.png"|' \
      -e "s|^\([[:space:]]*Build[[:space:]]*=\).*|\1 $BUILD_NUMBER|" FyneApp.toml > "$dir/FyneApp.toml"
  echo "$dir"
}

# The version flags, as `make ldflags` sets them; fyne package takes them from GOFLAGS.
goflags="-ldflags=-X=main.version=$VERSION -ldflags=-X=main.build=$BUILD_NUMBER"

linux() {
  local dir t0=$SECONDS
  dir=$(stage linux)
  (cd "$dir" && GOFLAGS="$goflags" "$FYNE" package -os linux --release)
  local tarball=dist/$NAME-$VERSION-linux-amd64.tar.xz
  mv "$dir/$NAME.tar.xz" "$tarball"
  echo "built $tarball ($(du -h "$tarball" | cut -f1)) in $((SECONDS - t0)) s"
  deb "$tarball"
}

# deb TARBALL: a .deb from the tarball's files, moved from /usr/local to /usr.
deb() {
  local t0=$SECONDS root=dist/_stage/deb
  rm -rf "$root"
  mkdir -p "$root/x" "$root/pkg/DEBIAN" "$root/pkg/usr/bin" "$root/pkg/usr/share/applications" \
    "$root/pkg/usr/share/icons/hicolor/512x512/apps" "$root/pkg/usr/share/doc/$exe"
  tar -xJf "$1" -C "$root/x"
  install -m 0755 "$root/x/$exe/usr/local/bin/$exe" "$root/pkg/usr/bin/$exe"
  local desktop
  desktop=$(find "$root/x" -name '*.desktop' | head -1)
  sed -e "s|^Exec=.*|Exec=$exe|" -e "s|^Icon=.*|Icon=$ID|" "$desktop" > "$root/pkg/usr/share/applications/$ID.desktop"
  local png
  png=$(find "$root/x" -name '*.png' | head -1)
  install -m 0644 "$png" "$root/pkg/usr/share/icons/hicolor/512x512/apps/$ID.png"
  install -m 0644 LICENSE "$root/pkg/usr/share/doc/$exe/copyright"
  install -m 0644 assets/packaging/policy.example.toml "$root/pkg/usr/share/doc/$exe/policy.example.toml"
  # Depends: the shared libraries the binary links, mapped to packages by dpkg-shlibdeps.
  mkdir -p "$root/debian"
  printf 'Source: %s\n\nPackage: %s\nArchitecture: amd64\n' "$exe" "$exe" > "$root/debian/control"
  local depends
  depends=$(cd "$root" && dpkg-shlibdeps -O -e"pkg/usr/bin/$exe" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
  [ -n "$depends" ] || { echo "dpkg-shlibdeps found no dependencies for $exe" >&2; exit 1; }
  # GLFW opens the X11 and Wayland libraries at run time (dlopen), out of dpkg-shlibdeps'
  # sight: name them too.
  depends="$depends, libx11-6, libx11-xcb1, libxcursor1, libxext6, libxi6, libxinerama1, libxrandr2, libxrender1, libxxf86vm1, libxkbcommon0, libwayland-cursor0, libwayland-egl1, libegl1"
  local size
  size=$(du -sk "$root/pkg/usr" | cut -f1)
  cat > "$root/pkg/DEBIAN/control" <<CONTROL
Package: $exe
Version: $VERSION-$BUILD_NUMBER
Architecture: amd64
Maintainer: Chancery <it@chancery.example>
Installed-Size: $size
Depends: $depends
Section: utils
Priority: optional
Homepage: $WEBSITE
Description: ${DESCRIPTION%%:*}
 Chancery keeps ${DESCRIPTION#*: }.
 An administrator's policy in /etc/chancery/policy.toml fixes the data folder,
 the classification scheme and the highest marking allowed on the machine.
CONTROL
  local out=dist/${exe}_$VERSION-${BUILD_NUMBER}_amd64.deb
  dpkg-deb --build --root-owner-group -Zxz "$root/pkg" "$out" > /dev/null
  echo "built $out ($(du -h "$out" | cut -f1)) in $((SECONDS - t0)) s; Depends: $depends"
}

windows() {
  local dir t0=$SECONDS
  dir=$(stage windows)
  # mingw-w64 links Fyne's C parts; without libssp the link fails on __stack_chk_fail.
  (cd "$dir" && GOFLAGS="$goflags" CC=x86_64-w64-mingw32-gcc CGO_LDFLAGS="-l:libssp.a" \
    "$FYNE" package -os windows --release)
  local base=dist/$NAME-$VERSION-windows-amd64
  mv "$dir/$NAME.exe" "$base.exe"
  echo "built $base.exe ($(du -h "$base.exe" | cut -f1)) in $((SECONDS - t0)) s"
  t0=$SECONDS
  rm -f "$base.msi"
  # The MSI's icon (Add/Remove Programs, the Start menu entry) as a .ico, not the whole exe.
  convert "$ICON" -define icon:auto-resize=256,64,48,32,16 "$dir/../chancery.ico"
  wixl --arch x64 -o "$base.msi" \
    -D Name="$NAME" -D Version="$VERSION.$BUILD_NUMBER" -D NextVersion="${VERSION%.*}.$((${VERSION##*.} + 1))" -D Website="$WEBSITE" -D Description="${DESCRIPTION%%:*}" \
    -D Exe="$base.exe" -D Ico="$dir/../chancery.ico" -D PolicyExample=assets/packaging/policy.example.toml \
    assets/packaging/chancery.wxs
  echo "built $base.msi ($(du -h "$base.msi" | cut -f1)) in $((SECONDS - t0)) s"
  .ci/sign.sh "$base.exe" "$base.msi"
}

sums() {
  (cd dist && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%f\n' | sort | xargs -r sha256sum > SHA256SUMS)
  echo "dist/SHA256SUMS:"
  cat dist/SHA256SUMS
}

for step in "$@"; do
  case $step in
    linux) linux ;;
    windows) windows ;;
    sums) sums ;;
    *) echo "unknown step $step" >&2; exit 2 ;;
  esac
done

#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Chancery needs to build, test and run (Fyne's C
# libraries, and Xvfb with screenshot tools for the GUI smoke test), and to package it
# (dpkg-dev for the .deb's dependencies, mingw-w64 for the Windows build, wixl and msitools
# for the .msi, osslsigncode and openssl for signing), and for the briefing export tests
# poppler-utils (pdftotext, pdftoppm), fonts-droid-fallback and fonts-wqy-zenhei (a TrueType
# CJK font and a TrueType collection, both of which the PDF export finds) and
# libreoffice-writer-nogui (converts the DOCX to check it; about 280 MB, 30 s to install
# here), and age (the backup tests decrypt a backup with it), and apache2 with apache2-utils
# and litmus (the real WebDAV server the team-sync tests start, store/teamsync/remotetest).
# Idempotent: installs only what is missing. Uses sudo when not root.
set -euo pipefail
pkgs=(gcc pkg-config libgl1-mesa-dev xorg-dev libxkbcommon-dev libwayland-dev
      xvfb xdotool imagemagick dbus-x11 curl unzip ca-certificates
      dpkg-dev xz-utils file gcc-mingw-w64-x86-64 wixl msitools osslsigncode openssl
      poppler-utils age fonts-droid-fallback fonts-wqy-zenhei libreoffice-writer-nogui
      apache2 apache2-utils litmus)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi
# The real S3 server of the team-sync tests (store/teamsync/remotetest looks for it in
# ~/go/bin), built from the Go module proxy at a pinned version; once.
go=$("$(dirname "$0")/go.sh")
vgw="$HOME/go/bin/versitygw"
if ! "$go" version -m "$vgw" 2>/dev/null | grep -q 'mod.*github.com/versity/versitygw.*v1\.8\.0'; then
  echo "installing: versitygw v1.8.0 (S3 server for the team-sync tests)" >&2
  GOBIN="$HOME/go/bin" "$go" install github.com/versity/versitygw/cmd/versitygw@v1.8.0 >&2
fi

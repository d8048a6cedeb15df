#!/usr/bin/env bash
# Signs Windows files (.exe, .msi) in place with osslsigncode (Authenticode, SHA-256) and
# verifies each signature, when a certificate is given; otherwise says it left them unsigned.
#
#   CHANCERY_SIGN_PFX        a PKCS#12 file with the certificate and its key, or
#   CHANCERY_SIGN_CERT       a PEM (or DER/SPC) certificate chain and
#   CHANCERY_SIGN_KEY        its PEM private key
#   CHANCERY_SIGN_PASSWORD   the PFX's or key's password, or
#   CHANCERY_SIGN_PASSWORD_FILE  a file holding it
#   CHANCERY_SIGN_CA         the CA certificates to verify against (default: the system's)
#   CHANCERY_SIGN_TIMESTAMP  a timestamp server URL (RFC 3161), when one is reachable
#
# Usage: .ci/sign.sh FILE...
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 FILE..." >&2; exit 2; }
args=()
if [ -n "${CHANCERY_SIGN_PFX:-}" ]; then
  args=(-pkcs12 "$CHANCERY_SIGN_PFX")
elif [ -n "${CHANCERY_SIGN_CERT:-}" ] || [ -n "${CHANCERY_SIGN_KEY:-}" ]; then
  [ -n "${CHANCERY_SIGN_CERT:-}" ] && [ -n "${CHANCERY_SIGN_KEY:-}" ] || {
    echo "sign: set both CHANCERY_SIGN_CERT and CHANCERY_SIGN_KEY (or CHANCERY_SIGN_PFX)" >&2; exit 1; }
  args=(-certs "$CHANCERY_SIGN_CERT" -key "$CHANCERY_SIGN_KEY")
else
  for f in "$@"; do echo "UNSIGNED: $f (no certificate: set CHANCERY_SIGN_PFX, or CHANCERY_SIGN_CERT and CHANCERY_SIGN_KEY)"; done
  exit 0
fi
for v in CHANCERY_SIGN_PFX CHANCERY_SIGN_CERT CHANCERY_SIGN_KEY CHANCERY_SIGN_CA CHANCERY_SIGN_PASSWORD_FILE; do
  if [ -n "${!v:-}" ] && [ ! -r "${!v}" ]; then echo "sign: $v=${!v}: no such readable file" >&2; exit 1; fi
done
if [ -n "${CHANCERY_SIGN_PASSWORD_FILE:-}" ]; then
  args+=(-readpass "$CHANCERY_SIGN_PASSWORD_FILE")
elif [ -n "${CHANCERY_SIGN_PASSWORD:-}" ]; then
  args+=(-pass "$CHANCERY_SIGN_PASSWORD")
fi
[ -z "${CHANCERY_SIGN_TIMESTAMP:-}" ] || args+=(-ts "$CHANCERY_SIGN_TIMESTAMP")
verify=()
[ -z "${CHANCERY_SIGN_CA:-}" ] || verify=(-CAfile "$CHANCERY_SIGN_CA")
for f in "$@"; do
  tmp="$f.signing"
  rm -f "$tmp"
  osslsigncode sign "${args[@]}" -h sha256 -n "Chancery" -i "https://chancery.example" -in "$f" -out "$tmp" > "$tmp.log" 2>&1 ||
    { cat "$tmp.log" >&2; rm -f "$tmp" "$tmp.log"; echo "sign: signing $f failed" >&2; exit 1; }
  rm -f "$tmp.log"
  mv "$tmp" "$f"
  if ! out=$(osslsigncode verify "${verify[@]}" -in "$f" 2>&1); then
    echo "$out" >&2
    echo "sign: the signature of $f does not verify" >&2
    exit 1
  fi
  echo "SIGNED and verified: $f ($(echo "$out" | grep -m1 -i 'Subject:' | sed 's/^[[:space:]]*//'))"
done

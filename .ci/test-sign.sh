#!/usr/bin/env bash
# Tests .ci/sign.sh with a throwaway certificate: signs copies of the given Windows files
# (as a PFX, then as a PEM certificate and key), checks that osslsigncode verifies them,
# that a file changed after signing no longer verifies, and that with no certificate the
# files are left unsigned and said to be. Usage: .ci/test-sign.sh FILE.exe FILE.msi
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -sha256 -days 2 -nodes -subj "/CN=Chancery throwaway test signer" \
  -addext "extendedKeyUsage=codeSigning" -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2> /dev/null
openssl pkcs12 -export -inkey "$tmp/key.pem" -in "$tmp/cert.pem" -passout pass:test-only -out "$tmp/cert.pfx"

copies() { # copies SUFFIX: fresh copies of the files, printed
  for f in "${files[@]}"; do
    local c="$tmp/$1-$(basename "$f")"
    cp "$f" "$c"
    echo "$c"
  done
}
files=("$@")
[ ${#files[@]} -gt 0 ] || { echo "usage: $0 FILE..." >&2; exit 2; }

mapfile -t unsigned < <(copies none)
out=$(env -u CHANCERY_SIGN_PFX -u CHANCERY_SIGN_CERT -u CHANCERY_SIGN_KEY "$here/sign.sh" "${unsigned[@]}")
echo "$out"
[ "$(grep -c '^UNSIGNED: ' <<< "$out")" -eq ${#files[@]} ] || { echo "FAIL: without a certificate the files are not said to be unsigned"; exit 1; }
for f in "${unsigned[@]}"; do
  if osslsigncode verify -in "$f" > /dev/null 2>&1; then echo "FAIL: $f verifies without being signed"; exit 1; fi
done

printf 'test-only' > "$tmp/pass"
mapfile -t pfx < <(copies pfx)
CHANCERY_SIGN_PFX=$tmp/cert.pfx CHANCERY_SIGN_PASSWORD_FILE=$tmp/pass CHANCERY_SIGN_CA=$tmp/cert.pem "$here/sign.sh" "${pfx[@]}"
mapfile -t pem < <(copies pem)
CHANCERY_SIGN_CERT=$tmp/cert.pem CHANCERY_SIGN_KEY=$tmp/key.pem CHANCERY_SIGN_CA=$tmp/cert.pem "$here/sign.sh" "${pem[@]}"
for f in "${pfx[@]}" "${pem[@]}"; do
  v=$(osslsigncode verify -CAfile "$tmp/cert.pem" -in "$f" 2>&1) || { echo "$v"; echo "FAIL: $f does not verify"; exit 1; }
  grep -q 'Signature verification: ok' <<< "$v" || { echo "$v"; echo "FAIL: $f: no 'Signature verification: ok'"; exit 1; }
  grep -q 'Chancery throwaway test signer' <<< "$v" || { echo "FAIL: $f is not signed by the test certificate"; exit 1; }
done
echo "verified: ${pfx[*]} ${pem[*]}"
# One byte changed in the signed .exe's code: the signature must no longer verify.
f=${pfx[0]}
printf '\x90' | dd of="$f" bs=1 seek=4096 conv=notrunc status=none
if osslsigncode verify -CAfile "$tmp/cert.pem" -in "$f" > /dev/null 2>&1; then
  echo "FAIL: $f still verifies after it was changed"; exit 1
fi
echo "a changed file no longer verifies: ok"
echo "signing test passed"

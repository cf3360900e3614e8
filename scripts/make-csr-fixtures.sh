#!/usr/bin/env bash
# Regenerates test/fixtures/csr/: certificate requests made by openssl, and next to
# each one what `openssl req -noout -text -verify` says about it (<name>.openssl.txt).
# The tests derive their expectations from that text, not from values typed by hand.
# Keys live in a temporary directory and are thrown away, except the one throwaway
# private key kept as the "this is a private key" fixture.
# Usage: bash scripts/make-csr-fixtures.sh             (npm run fixtures: all of them)
#        bash scripts/make-csr-fixtures.sh tolerated   (only the tolerated-*, exotic-*, SM2, explicit-curve and truncated-* ones)
set -euo pipefail
cd "$(dirname "$0")/.."
out=test/fixtures/csr
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

subject() { echo "/C=GB/ST=Greater Manchester/L=Salford/O=Example Ltd/CN=$1/emailAddress=$1@example.com"; }

key() { # name, openssl genpkey arguments...
  local name=$1; shift
  openssl genpkey "$@" -out "$work/$name.key" 2>/dev/null
}

req() { # fixture name, key name, extra openssl req arguments...
  local name=$1 keyname=$2; shift 2
  openssl req -new -key "$work/$keyname.key" -subj "$(subject "$name")" -out "$out/$name.csr" "$@"
}

view() { # what openssl says about one fixture, next to it
  local file=$1 base=${1%.*} form=()
  if [[ $file == *.der ]]; then form=(-inform DER); fi
  # SM2 signed with the standard's default ID: openssl verifies with an empty ID unless told.
  if [[ $file == *-default-id.csr ]]; then form+=(-vfyopt distid:1234567812345678); fi
  # Non-requests make openssl fail; its complaint is recorded all the same. A request whose
  # signature openssl cannot even try (an exotic key) stops -verify before the text: then what
  # openssl reads of it without -verify follows the complaint.
  if ! openssl req "${form[@]}" -in "$file" -noout -text -verify >"$base.openssl.txt" 2>&1; then
    if ! grep -q '^Certificate Request:' "$base.openssl.txt"; then
      openssl req "${form[@]}" -in "$file" -noout -text >>"$base.openssl.txt" 2>&1 || true
    fi
  fi
}

# Requests openssl reads although something inside them is wrong or unusual: the analysis
# must read them too, report key, signature and -13, and name what is wrong as a finding.
tolerated() {
  req tolerated-duplicate-san rsa2048 -sha256 -addext "subjectAltName=email:a@example.com" -addext "2.5.29.17=DER:300f810d62406578616d706c652e636f6d"
  # A SAN whose inner length runs past its end, on a 1024-bit key.
  req tolerated-malformed-san rsa1024 -sha256 -addext "2.5.29.17=DER:30058109614062"
  # A Microsoft template v2 whose OID claims 32 bytes and has 2.
  req tolerated-malformed-template-v2 rsa2048 -sha256 -addext "subjectAltName=email:t@example.com" -addext "1.3.6.1.4.1.311.21.7=DER:300606202b06020164"
  # What openssl will not make but reads: critical FALSE, a long-form length, an empty extensionRequest, a high tag number, MD4, a long OID arc.
  node --import tsx scripts/make-tolerated-csrs.ts "$out" "$work/rsa2048.key" "$work/rsa1024.key"
  # SM2 with SM3, signed as OpenSSL 3 does by default (an empty ID) and with the standard's default ID and an EC key with explicit P-521 parameters.
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2 -out "$work/sm2.key" 2>/dev/null
  req ec-SM2 sm2 -sm3
  req ec-SM2-default-id sm2 -sm3 -sigopt distid:1234567812345678
  openssl ecparam -name P-521 -param_enc explicit -genkey -noout -out "$work/explicit.key"
  req ec-explicit-P-521 explicit -sha256
  # A DER request cut short by one byte.
  openssl req -in "$out/rsa-2048.csr" -outform DER -out "$work/whole.der"
  head -c "$(($(wc -c <"$work/whole.der") - 1))" "$work/whole.der" >"$out/truncated-by-one.der"
}

if [[ ${1:-} == tolerated ]]; then
  rm -f "$out"/tolerated-* "$out"/truncated-* "$out"/exotic-* "$out"/ec-SM2.* "$out"/ec-explicit-*
  key rsa2048 -algorithm RSA -pkeyopt rsa_keygen_bits:2048
  key rsa1024 -algorithm RSA -pkeyopt rsa_keygen_bits:1024
  tolerated
  for file in "$out"/tolerated-*.csr "$out"/exotic-*.csr "$out"/ec-SM2*.csr "$out"/ec-explicit-*.csr "$out"/truncated-*.der; do view "$file"; done
  exit 0
fi
rm -f "$out"/*

echo "== keys"
for bits in 1024 2048 3072 4096 8192; do key "rsa$bits" -algorithm RSA -pkeyopt "rsa_keygen_bits:$bits"; done
for curve in P-256 P-384 P-521 secp256k1 brainpoolP256r1; do key "ec-$curve" -algorithm EC -pkeyopt "ec_paramgen_curve:$curve"; done
key ed25519 -algorithm ED25519
key ed448 -algorithm ED448
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out "$work/dsa.params" 2>/dev/null
openssl genpkey -paramfile "$work/dsa.params" -out "$work/dsa.key" 2>/dev/null
key rsa-pss-key -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048

echo "== requests"
for bits in 1024 2048 3072 4096 8192; do req "rsa-$bits" "rsa$bits" -sha256; done
for curve in P-256 P-384 P-521 secp256k1 brainpoolP256r1; do req "ec-$curve" "ec-$curve" -sha256; done
req ec-P-384-sha384 ec-P-384 -sha384
req ed25519 ed25519
req ed448 ed448
req dsa-2048 dsa -sha256
for hash in md5 sha1 sha224 sha256 sha384 sha512; do req "rsa-2048-$hash" rsa2048 "-$hash"; done
req rsa-2048-pss-signature rsa2048 -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
req rsa-pss-key rsa-pss-key -sha256

# Microsoft template extensions, many SANs of every type, a challenge password.
cat >"$work/extensions.cnf" <<'EOF'
[req]
prompt = no
distinguished_name = dn
attributes = attributes
[dn]
CN = replaced by -subj
[attributes]
challengePassword = never-printed-secret
[template_v1]
1.3.6.1.4.1.311.20.2 = ASN1:BMPSTRING:SmimeUser
[template_v1_utf8]
1.3.6.1.4.1.311.20.2 = ASN1:UTF8String:Smime User UTF8
[template_v2]
1.3.6.1.4.1.311.21.7 = ASN1:SEQUENCE:template_v2_value
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = emailProtection
[template_v2_value]
id = OID:1.3.6.1.4.1.311.21.8.11111.2222.3333.4444.55.66
major = INTEGER:100
minor = INTEGER:4
[many_sans]
subjectAltName = @alt
basicConstraints = critical, CA:FALSE
[alt]
email.1 = alice@example.com
email.2 = alice.smith@example.org
DNS.1 = mail.example.com
DNS.2 = *.example.net
IP.1 = 192.0.2.10
IP.2 = 2001:db8::1
URI.1 = https://example.com/alice
RID.1 = 1.2.3.4.5
otherName.1 = 1.3.6.1.4.1.311.20.2.3;UTF8:alice@corp.example
dirName.1 = alt_dir
[alt_dir]
C = DE
O = Example GmbH
CN = Alice Dir
EOF
req ms-template-v1 rsa2048 -sha256 -config "$work/extensions.cnf" -reqexts template_v1
req ms-template-v1-utf8 rsa2048 -sha256 -config "$work/extensions.cnf" -reqexts template_v1_utf8
req ms-template-v2 rsa2048 -sha256 -config "$work/extensions.cnf" -reqexts template_v2
req many-sans ec-P-256 -sha256 -config "$work/extensions.cnf" -reqexts many_sans
# openssl prints the v2 template as raw bytes; its ASN.1 parser decodes the value instead.
offset=$(openssl asn1parse -in "$out/ms-template-v2.csr" | awk '/:1.3.6.1.4.1.311.21.7$/ { getline; sub(/:.*/, "", $1); print $1; exit }')
openssl asn1parse -in "$out/ms-template-v2.csr" -strparse "$offset" >"$work/template-v2.asn1"
openssl req -new -key "$work/rsa2048.key" -subj "/O=Example Ltd/CN=No Mail" -out "$out/no-email.csr"
# openssl drops the attributes section when -subj is given, so this one takes its subject from the file.
cat >"$work/challenge.cnf" <<'EOF'
[req]
prompt = no
distinguished_name = dn
attributes = attributes
[dn]
CN = challenge-password
emailAddress = challenge-password@example.com
[attributes]
challengePassword = never-printed-secret
EOF
openssl req -new -key "$work/ec-P-256.key" -config "$work/challenge.cnf" -out "$out/challenge-password.csr"

# A broken signature: flip one bit of the last signature byte of a good request.
openssl req -in "$out/rsa-2048.csr" -outform DER -out "$work/good.der"
node -e 'const fs=require("fs");const b=fs.readFileSync(process.argv[1]);b[b.length-1]^=1;fs.writeFileSync(process.argv[2],b)' "$work/good.der" "$work/broken.der"
openssl req -inform DER -in "$work/broken.der" -out "$out/broken-signature.csr"

echo "== input forms"
cp "$work/good.der" "$out/rsa-2048.der"
sed -e 's/CERTIFICATE REQUEST/NEW CERTIFICATE REQUEST/' "$out/rsa-2048.csr" >"$out/old-header.csr"
sed -e 's/$/\r/' "$out/ec-P-256.csr" >"$out/crlf.csr"
grep -v -- '-----' "$out/rsa-2048.csr" >"$out/bare-base64.txt"
{
  echo "Requests for the three mailboxes, as sent by the help desk."
  echo
  cat "$out/rsa-2048.csr"
  echo "second one:"
  cat "$out/ec-P-384.csr"
  cat "$out/rsa-1024.csr"
  echo "-- end of message"
} >"$out/multi-block.txt"
openssl req -x509 -new -key "$work/rsa2048.key" -subj "/CN=Not A Request" -days 1 -out "$out/certificate.pem"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out/private-key.pem" 2>/dev/null

echo "== tolerated"
tolerated

echo "== openssl's view of every fixture"
for file in "$out"/*; do
  case "$file" in *.openssl.txt) continue ;; esac
  view "$file"
done
# Kept apart from the loop above, whose glob would treat it as a fixture.
cp "$work/template-v2.asn1" "$out/ms-template-v2.asn1parse.txt"
ls "$out" | wc -l

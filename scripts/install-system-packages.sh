#!/usr/bin/env bash
# Installs the Debian packages the tests, benchmarks and demo need. Safe to run again.
# `--for demo` installs only what the demo needs (code-server's native build and ripgrep), not the
# tools only tests use (chromium, pre-commit, wine64, openssl, unzip).
# Lines meant for a person start with "install-system-packages:" (the demo shows those and keeps
# the rest of apt's output in its log file).
set -euo pipefail
# chromium: headless browser for the UI tests and the extension-host launcher (driven by playwright-core).
# libkrb5-dev, pkg-config, python3, make, g++: code-server's postinstall builds native modules.
# ripgrep: stands in for @vscode/ripgrep's download (no GitHub access here). unzip: .vsix contents test.
# pre-commit: the real framework, for the hook test (test/pre-commit/). wine64: runs the Windows
# build of Node for the Windows tests (test/windows/). python3-cryptography: pyca/cryptography, the
# peer `npm run bench` measures the analysis beside (bench/pyca-csr.py).
packages=(openssl chromium libkrb5-dev pkg-config ripgrep python3 python3-cryptography make g++ unzip pre-commit wine64)
if [ "${1:-}" = "--for" ] && [ "${2:-}" = "demo" ]; then
  packages=(libkrb5-dev pkg-config ripgrep python3 make g++)
elif [ $# -gt 0 ]; then
  echo "install-system-packages: unknown arguments: $* (the only option is --for demo)" >&2
  exit 2
fi
# A freshly booted machine often runs unattended upgrades for its first minutes: wait for apt's
# locks that long rather than fail on the first command.
lock_wait_seconds="${APT_LOCK_WAIT_SECONDS:-600}"

say() { echo "install-system-packages: $*" >&2; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  say "missing Debian packages: ${missing[*]}. Install them (sudo apt-get install ${missing[*]}) and run again."
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
say "installing ${missing[*]} (waiting up to ${lock_wait_seconds} s for apt's lock if another apt is running, e.g. unattended upgrades)"

# apt-get update does not honour DPkg::Lock::Timeout for the package lists' lock: try again
# until the same deadline, saying so once.
deadline=$((SECONDS + lock_wait_seconds))
said_waiting=no
while true; do
  errors="$(mktemp)"
  if apt-get -o DPkg::Lock::Timeout="$lock_wait_seconds" update -qq 2>"$errors"; then
    cat "$errors" >&2
    rm -f "$errors"
    break
  fi
  if ! grep -q 'Could not get lock' "$errors" || [ "$SECONDS" -ge "$deadline" ]; then
    cat "$errors" >&2
    rm -f "$errors"
    say "apt-get update failed (see above)"
    exit 1
  fi
  rm -f "$errors"
  if [ "$said_waiting" = no ]; then
    say "another apt holds the package lists' lock; waiting for it (until $((deadline - SECONDS)) s from now) ..."
    said_waiting=yes
  fi
  sleep 5
done
apt-get -o DPkg::Lock::Timeout="$lock_wait_seconds" install -y -qq --no-install-recommends "${missing[@]}"
say "installed ${missing[*]}"

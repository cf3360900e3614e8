#!/usr/bin/env bash
# Installs the Debian packages the tests, benchmarks and demo need. Safe to run again.
set -euo pipefail
# chromium: headless browser for the UI tests and the extension-host launcher (driven by playwright-core).
# libkrb5-dev, pkg-config, python3, make, g++: code-server's postinstall builds native modules.
# ripgrep: stands in for @vscode/ripgrep's download (no GitHub access here). unzip: .vsix contents test.
packages=(openssl chromium libkrb5-dev pkg-config ripgrep python3 make g++ unzip)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}. Install them (sudo apt-get install ${missing[*]}) and run again." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"

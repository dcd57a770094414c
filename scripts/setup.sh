#!/usr/bin/env bash
# Installs what rolebook needs on a fresh Debian machine (run as root or with sudo).
#   scripts/setup.sh          everything to build the handbook (site + PDFs)
#   scripts/setup.sh --test   that, plus what the tests need (Chromium for browser tests, pytest …)
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# graphviz: org-chart SVGs; fonts-noto-cjk: Chinese glyphs in charts and PDFs;
# libpango: WeasyPrint's text layout; fontconfig (fc-match): finds the Noto CJK files the PDFs cut down.
apt_pkgs="graphviz fonts-noto-cjk fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 python3-venv"
extra=""
if [ "${1:-}" = "--test" ]; then
  apt_pkgs="$apt_pkgs chromium poppler-utils"
  extra="[test]"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $apt_pkgs >/dev/null

python3 -m pip install --quiet --disable-pip-version-check -e ".${extra}"
echo "rolebook: set-up done."

#!/usr/bin/env bash
# Installs what rolebook needs on a fresh Debian or Ubuntu machine (run as root or with sudo).
#   scripts/setup.sh          everything to build the handbook (site + PDFs)
#   scripts/setup.sh --test   that, plus what the tests need (Chromium for browser tests, pytest …)
#
# Python packages go into a project virtual environment, .venv/ (PEP 668: Debian's and Ubuntu's
# system Python refuse `pip install`, and a venv keeps rolebook's libraries apart from the system's).
# Afterwards run `.venv/bin/rolebook …` (or activate it: `. .venv/bin/activate`).
# PYTHON=/path/to/python3 picks the interpreter the venv is made from (default: python3).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PYTHON=${PYTHON:-python3}

# graphviz: org-chart SVGs; fonts-noto-cjk: Chinese glyphs in charts and PDFs;
# libpango: WeasyPrint's text layout; fontconfig (fc-match): finds the Noto CJK files the PDFs cut down;
# python3-venv: the project virtual environment.
apt_pkgs="graphviz fonts-noto-cjk fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 python3-venv"
extra=""
if [ "${1:-}" = "--test" ]; then
  apt_pkgs="$apt_pkgs chromium poppler-utils"
  extra="[test]"
fi
if command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $apt_pkgs >/dev/null
else
  echo "rolebook: no apt-get here; install these yourself: $apt_pkgs" >&2
fi

# A venv that cannot run pip (made by an older set-up, or by a Python without ensurepip) is made again.
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  rm -rf .venv
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=23"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra}"
if [ "${1:-}" = "--test" ]; then
  # The Zensical site engine, for its test; where the package index cannot provide it (or its theme
  # package, zensical-ui), that test is skipped and says why.
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[zensical]" \
    || echo "rolebook: the zensical engine could not be installed; its tests will be skipped" >&2
fi
echo "rolebook: set-up done. Run .venv/bin/rolebook --help (or '. .venv/bin/activate' first, then rolebook --help)."

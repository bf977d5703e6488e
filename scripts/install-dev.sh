#!/usr/bin/env bash
# Installs everything the tests need into ./.venv (Python), tests/node (the official Node
# UserSig generator), tests/websdk (Tencent's Web SDKs) and Debian's chromium (the browser the
# Web SDK and console tests drive). Safe to run again; the second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -U pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
(cd tests/node && npm install --no-audit --no-fund --loglevel=error)
(cd tests/websdk && npm install --no-audit --no-fund --loglevel=error)
if [ ! -x /usr/bin/chromium ]; then  # the tests launch exactly this one
    # Playwright cannot download its own browsers here: the tests use Debian's chromium.
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi

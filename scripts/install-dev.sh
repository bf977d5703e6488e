#!/usr/bin/env bash
# Installs everything the tests need into ./.venv (Python) and tests/node (the official Node
# UserSig generator). Safe to run again; the second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -U pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
(cd tests/node && npm install --no-audit --no-fund --loglevel=error)

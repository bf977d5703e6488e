#!/usr/bin/env bash
# Installs what the tests need, checks that PostgreSQL and Redis answer, then runs the whole
# test suite: every storage test on SQLite and PostgreSQL, the Redis tests on the real server.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dev.sh
export RELCHAIN_TEST_POSTGRES_URL=${RELCHAIN_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}
export RELCHAIN_TEST_STRICT=1
export RELCHAIN_TEST_REDIS_URL=${RELCHAIN_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}
.venv/bin/python scripts/check_services.py
exec .venv/bin/python -m pytest "$@"

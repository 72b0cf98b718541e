# Two commands on a fresh machine: `make run` (embedded demo) and `make test` (the suite).
# Both create .venv, install the pinned packages, and install the Debian libraries that
# WeasyPrint (and the browser tests) need — with apt-get, only if they are missing
# (gettext provides msgfmt for `make messages`).

PYTHON ?= python3
PORT ?= 8000
# apt-get as root directly, otherwise through sudo.
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
DEBIAN_PKGS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils gettext
BROWSER_PKGS := chromium chromium-driver chromium-l10n

.PHONY: run test check lint sysdeps browser-deps messages collectstatic clean demo-agreement

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

sysdeps:
	@missing=""; for p in $(DEBIAN_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages needed by WeasyPrint:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

browser-deps:
	@missing=""; for p in $(BROWSER_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for the browser tests:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

messages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv -v 0

collectstatic: $(STAMP)
	$(PY) manage.py collectstatic --noinput -v 0

run: sysdeps $(STAMP) messages collectstatic
	DEBUG=true $(PY) manage.py migrate --noinput -v 0
	DEBUG=true $(PY) manage.py seed_demo
	@echo "Portal läuft auf http://127.0.0.1:$(PORT) (Strg+C beendet)."
	DEBUG=true PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check: $(STAMP) messages
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	DEBUG=false SECRET_KEY=ci-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ALLOWED_HOSTS=portal.example.org USE_HTTPS=true \
	  $(PY) manage.py check --deploy --fail-level WARNING
	$(BIN)/bandit -q -ll -c pyproject.toml -r portal vouchers sessions_log agreements appointments programme_work reports demo

test: sysdeps browser-deps $(STAMP) lint check collectstatic
	$(BIN)/pytest $(PYTEST_ARGS)

demo-agreement: $(STAMP)
	$(PY) manage.py demo_agreement

clean:
	rm -rf $(VENV) var/staticfiles var/test-*.sqlite3 var/test-media

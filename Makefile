# Two commands for a fresh machine: `make run` and `make test`. Everything else is their plumbing.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the product needs: ffmpeg renders (DejaVu for Latin text, Noto for Devanagari and
# Arabic, WenQuanYi Zen Hei for Chinese, Japanese and Korean; Pillow shapes text with the FriBiDi
# of libfribidi0), gettext compiles translations.
SYSTEM_PACKAGES ?= ffmpeg fonts-dejavu-core fonts-noto-core fonts-wqy-zenhei libfribidi0 gettext
# The test suite also drives real Chromium.
TEST_SYSTEM_PACKAGES ?= $(SYSTEM_PACKAGES) chromium

.PHONY: run test setup test-setup system-packages lint check clean

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo
	@echo "  Video Creator is starting at http://$(HOST):$(PORT)/  (ops console: /admin/, API docs: /api/docs/)"
	@echo "  Stop with Ctrl-C."
	@echo
	@trap 'kill 0' EXIT; \
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} $(VENV)/bin/celery -A config worker --beat -Q celery,bulk,webhooks --concurrency=2 --loglevel=INFO & \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: test-setup
	$(VENV)/bin/pytest

setup: $(VENV)/.installed
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(SYSTEM_PACKAGES)"
	$(PY) manage.py compilemessages --ignore=$(VENV) -v0

test-setup: $(VENV)/.installed
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(TEST_SYSTEM_PACKAGES)"
	$(PY) manage.py compilemessages --ignore=$(VENV) -v0

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

# Installs missing Debian packages when we can (root with apt); otherwise says what is missing.
system-packages:
	@missing=""; \
	for pkg in $(PACKAGES); do \
	  if command -v dpkg-query >/dev/null; then \
	    dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; \
	  else \
	    case $$pkg in gettext) cmd=msgfmt;; fonts-*) continue;; *) cmd=$$pkg;; esac; \
	    command -v $$cmd >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	  fi; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing$$missing ..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Please install:$$missing (e.g. sudo apt-get install$$missing)"; \
	  fi; \
	fi

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: $(VENV)/.installed
	$(PY) manage.py makemigrations --check --dry-run
	@# A production-shaped environment; no service is contacted by the checks.
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DJANGO_ALLOWED_HOSTS=videocreator.example SITE_URL=https://videocreator.example \
	DATABASE_URL=postgres://app@db.internal:5432/videocreator CACHE_URL=redis://redis.internal:6379/1 \
	CELERY_BROKER_URL=redis://redis.internal:6379/0 AWS_STORAGE_BUCKET_NAME=videocreator-media \
	TRUSTED_PROXY_COUNT=1 BILLING_PROVIDER=stripe STRIPE_SECRET_KEY=sk_live_from_the_environment STRIPE_WEBHOOK_SECRET=whsec_from_the_environment \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var $(VENV)

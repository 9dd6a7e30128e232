# The two commands of README: `make run` and `make test`. `make serve` is production.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
CHROMIUM := /usr/bin/chromium

.PHONY: run serve serve-environment test bench bench-cold bench-search bench-images bench-revisions bench-reads java install install-test browser database prepare stop-database

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# A stamp per requirements file, so that `make` reinstalls only when a pin changes.
$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test: requirements-test.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

$(VENV)/.bench: requirements-bench.txt $(VENV)/.test
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@

install: $(VENV)/.runtime
install-test: $(VENV)/.test

# The machine's PostgreSQL, or a private cluster under var/postgres/ (see README).
database: install
	@$(PY) -m antd_site.localdb start >/dev/null

stop-database: install
	$(PY) -m antd_site.localdb stop

prepare: database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_sample_content

run: prepare
	@echo ""
	@echo "  Trang đọc báo:  http://$(HOST):$(PORT)/"
	@echo "  Trang quản trị: http://$(HOST):$(PORT)/admin/"
	@echo "  Tạo tài khoản biên tập: $(PY) manage.py createsuperuser"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

# Refuse before installing anything.
serve-environment:
	@test -n "$$DJANGO_SECRET_KEY" || { echo "make serve: thiếu DJANGO_SECRET_KEY (chuỗi ngẫu nhiên, ít nhất 50 ký tự)." >&2; exit 2; }
	@test -n "$$DJANGO_ALLOWED_HOSTS" || { echo "make serve: thiếu DJANGO_ALLOWED_HOSTS (ví dụ antd.vn,www.antd.vn)." >&2; exit 2; }

# gunicorn's sync workers: two for two cores. Four on two cores made cold articles
# no faster through the stack and each one slower (README, Benchmarks).
WEB_CONCURRENCY ?= 2

serve: serve-environment install
	@DJANGO_ENV=production $(PY) -m antd_site.localdb start >/dev/null
	DJANGO_ENV=production $(PY) manage.py migrate --noinput
	DJANGO_ENV=production $(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_ENV=production exec $(VENV)/bin/gunicorn antd_site.wsgi --bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) \
		--no-control-socket --forwarded-allow-ips 127.0.0.1

# Playwright drives Debian's Chromium; it never downloads a browser of its own.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Thiếu $(CHROMIUM): cài bằng 'sudo apt-get install chromium'." >&2; exit 2; fi; \
	fi

# The page-quality tools of tests/browser/test_quality.py (package.json): the Nu HTML
# checker, run with the machine's java; axe-core; Lighthouse, run on Debian's Chromium.
# .npmrc skips install scripts, so nothing downloads a browser or a Java runtime.
node_modules/.installed: package.json package-lock.json | java
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $@

# The Nu HTML checker's Java (17 or later), from Debian, like the browser above.
java:
	@if ! command -v java >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
		else echo "Thiếu java: cài bằng 'sudo apt-get install openjdk-17-jre-headless'." >&2; exit 2; fi; \
	fi

# Debian's nginx in front of gunicorn (deploy/nginx.conf, tests/test_nginx.py), with
# Debian's brotli modules; like the browser above, never a build of its own.
NGINX := /usr/sbin/nginx
NGINX_MODULES := /usr/lib/nginx/modules
.PHONY: nginx
nginx:
	@if [ ! -x $(NGINX) ] || [ ! -f $(NGINX_MODULES)/ngx_http_brotli_filter_module.so ] \
		|| [ ! -f $(NGINX_MODULES)/ngx_http_brotli_static_module.so ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static >/dev/null; \
		else echo "Thiếu nginx: cài bằng 'sudo apt-get install nginx libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static'." >&2; exit 2; fi; \
	fi

test: install-test browser nginx database node_modules/.installed
	$(PY) -m pytest

# Benchmarks measure; tests never time anything. Figures go to bench/*.md and README.
bench-images: $(VENV)/.bench
	DJANGO_SETTINGS_MODULE=antd_site.settings $(PY) bench/images.py

# The NDJSON import with and without revisions (the code of BENCH_BASELINE, in a
# git worktree), and bytes per revision. Writes bench/revisions.md.
bench-revisions: $(VENV)/.test database
	$(PY) bench/revisions.py

# The article page with and without the "Đọc nhiều" beacon being hit, beside
# the bare ceiling, in one run. Writes bench/reads.md.
bench-reads: $(VENV)/.bench database
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/reads.py

# Search through gunicorn on the 1,000,000-article archive (BENCH_SEARCH_SIZE, or
# BENCH_SEARCH_DATABASE_URL), beside the bare ceiling, in one run; `make bench`
# runs it too. Writes bench/search.md.
bench-search: $(VENV)/.bench database
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/search.py

# Pages at 10,000 and 1,000,000 articles (archives built once, kept in
# databases antd_bench_*), then wrk against gunicorn. Writes bench/results.md;
# then bench-cold's sections on the larger archive, and bench-reads (what the
# "Đọc nhiều" beacon costs the article page).
bench: $(VENV)/.bench database nginx
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/run.py
	$(PY) bench/reads.py

# Random articles and listings with cold caches, the home page, and nginx in
# front (cached pages beside a static file; an app restart and a database outage
# under load), on the larger archive of BENCH_SIZES (or BENCH_COLD_DATABASE_URL).
# Writes bench/cold.md.
bench-cold: $(VENV)/.bench database nginx
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/cold.py

# netsapiens.pbx: build, lint and test. Every target works on a fresh clone (it makes what it needs).
#
#   make demo      run playbooks/demo.yml against the NetSapiens emulator
#   make test      everything CI runs: sanity, lint, docs, release checks, then every pytest suite
#   make help      every target with what it does (the text after `##` on each target's line)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

.PHONY: help venv collection sanity lint changelog units integration build build-check test demo bench docs-venv docs docs-lint docs-check release-changelog ee-check browser venv-313 test-matrix sanity-313 test-313 reliability-doc clean distclean

PYTHON ?= python3
PYTHON_VERSION := 3.11
VENV := $(CURDIR)/.venv
VENV_PY := $(VENV)/bin/python
STAMP := $(VENV)/.stamp
# The emulator's pyproject.toml too: requirements/*.txt install tests/emulator.
EMULATOR_PACKAGE := tests/emulator/pyproject.toml
REQUIREMENTS := requirements/dev.txt requirements/runtime.txt requirements/constraints.txt $(EMULATOR_PACKAGE)

BUILD := $(CURDIR)/.build
COLLECTIONS := $(BUILD)/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/netsapiens/pbx
SANITY_DIR := $(BUILD)/sanity/ansible_collections/netsapiens/pbx
DIST := $(BUILD)/dist

PYTEST_SUITES := tests/unit tests/integration tests/emulator tests/release/test_makefile.py
DEMO_ARGS ?=
SANITY_ARGS ?=
LINT_ARGS ?=
BENCH_ARGS ?=
DEMO_REPORTS := $(CURDIR)/demo-output
BENCH_VENV := $(BUILD)/venv-bench

# The docs tools live in .venv-docs (requirements/docs.txt), apart from .venv, which stays lean.
DOCS_VENV := $(CURDIR)/.venv-docs
DOCS_STAMP := $(DOCS_VENV)/.stamp
DOCS_BIN := $(DOCS_VENV)/bin
DOCS_BUILD := $(BUILD)/docs
DOCS_HTML := $(DOCS_BUILD)/html
# The release whose changelog release-changelog generates: galaxy.yml's version unless given.
RELEASE_VERSION ?= $(shell sed -n 's/^version: *//p' galaxy.yml)
RELEASE_DIR := $(BUILD)/release-changelog/ansible_collections/netsapiens/pbx

# The second leg of the ansible-core matrix: the newest ansible-core on Python 3.13, in .venv-313.
VENV313 := $(CURDIR)/.venv-313
STAMP313 := $(VENV313)/.stamp
SANITY313_DIR := $(BUILD)/sanity-313/ansible_collections/netsapiens/pbx
# pyenv's 3.13.0 when there is one (its python3.13 shim does not work), else python3.13.
PYENV_313 = $(shell pyenv prefix 3.13.0 2>/dev/null)
PY313 ?= $(if $(PYENV_313),$(PYENV_313)/bin/python,python3.13)

# Every ansible command sees the collection through .build/collections and keeps its temp files in .build.
export PATH := $(VENV)/bin:$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_LOCAL_TEMP := $(BUILD)/tmp/local
export ANSIBLE_REMOTE_TMP := $(BUILD)/tmp/remote
export PIP_PROGRESS_BAR := off

help: ## this list
	@awk -F ':.*## ' '/^[a-z0-9-]+:.*## /{printf "  make %-18s %s\n", $$1, $$2}' $(firstword $(MAKEFILE_LIST))

# ---- the development venv and the collection path ----

venv: $(STAMP) ## .venv from requirements/dev.txt (with the emulator); reinstalled when a requirements file is newer

$(STAMP): $(REQUIREMENTS)
	@$(PYTHON) -c 'import sys; v = "%d.%d" % sys.version_info[:2]; sys.exit(0 if v == "$(PYTHON_VERSION)" else "$(PYTHON) is Python " + v + ", need $(PYTHON_VERSION): make PYTHON=python$(PYTHON_VERSION) ...")'
	@if [ ! -x "$(VENV_PY)" ] || ! "$(VENV_PY)" -c 'import sys; sys.exit(sys.version_info[:2] != tuple(map(int, "$(PYTHON_VERSION)".split("."))))'; then \
		echo "creating $(VENV)"; rm -rf "$(VENV)"; $(PYTHON) -m venv "$(VENV)"; \
	fi
	"$(VENV_PY)" -m pip install --quiet -r requirements/dev.txt
	@touch "$@"

collection: ## link .build/collections/ansible_collections/netsapiens/pbx to the repository root
	@mkdir -p "$(dir $(COLLECTION_LINK))" "$(ANSIBLE_LOCAL_TEMP)" "$(ANSIBLE_REMOTE_TMP)"
	@if [ "$$(readlink "$(COLLECTION_LINK)" 2>/dev/null)" != "$(CURDIR)" ]; then \
		rm -rf "$(COLLECTION_LINK)"; ln -s "$(CURDIR)" "$(COLLECTION_LINK)"; \
	fi

# ---- checks and tests ----

# ansible-test needs a real ansible_collections/netsapiens/pbx directory: it runs on a mirror of the source files.
sanity: venv ## ansible-test sanity (Python 3.11) on a mirror of the source files in .build/sanity
	"$(VENV_PY)" hack/ansible_test_offline_pip.py --python $(PYTHON_VERSION)
	"$(VENV_PY)" hack/sync_tree.py "$(SANITY_DIR)"
	cd "$(SANITY_DIR)" && env -u ANSIBLE_COLLECTIONS_PATH ansible-test sanity --venv --python $(PYTHON_VERSION) --color no $(SANITY_ARGS)

lint: venv collection ## ansible-lint --profile production
	ansible-lint --profile production $(if $(CI),--nocolor) $(LINT_ARGS)

changelog: venv ## antsibull-changelog lint (the fragments)
	antsibull-changelog lint

units: venv collection ## the unit tests (tests/unit)
	"$(VENV_PY)" -m pytest tests/unit

integration: venv collection ## the integration tests and the emulator's own tests
	"$(VENV_PY)" -m pytest tests/integration tests/emulator

build: venv ## the collection tarball in .build/dist
	rm -rf "$(DIST)"
	ansible-galaxy collection build --force --output-path "$(DIST)"

# tests/release/test_tarball.py installs the tarball into an empty collections path and uses it from there only:
# ansible-doc for every module, plugin and role, the modules, lookup, filter, inventory plugin and
# `ansible-playbook netsapiens.pbx.audit` against the emulator; no development files in the tarball.
build-check: venv ## build the tarball, install it alone and use every plugin and the role from it
	"$(VENV_PY)" -m pytest -p no:cacheprovider tests/release/test_tarball.py

# The last line printed is pytest's summary.
test: venv collection browser changelog docs-lint sanity lint ee-check build-check docs-check release-changelog ## everything CI runs (then .ci/run runs test-matrix)
	"$(VENV_PY)" -m pytest $(PYTEST_SUITES)

demo: venv collection ## against a fresh emulator: show one subscriber, audit every domain, write the phone directories; output in demo-output/
	"$(VENV_PY)" hack/with_emulator.py $(DEMO_ARGS) -- bash -c '"$$0" playbooks/demo.yml && "$$0" playbooks/audit.yml \
		-e subscriber_audit_report_dir="$$1" -e subscriber_audit_fail_on=never \
		&& "$$0" playbooks/directory.yml -e directory_output_dir="$$1/directory"' "$(VENV)/bin/ansible-playbook" "$(DEMO_REPORTS)"
	@echo "demo: reports in $(DEMO_REPORTS): audit-report.html (open in a browser), audit-report.json, audit-junit.xml, audit-subscribers.csv"
	@echo "demo: phone directories in $(DEMO_REPORTS)/directory/<domain>/: yealink.xml, poly-000000000000-directory.xml, grandstream.xml, directory.ldif, directory.csv"

# Its own venv (.build/venv-bench, requirements/bench.txt: the same ansible-core plus matplotlib), so .venv stays as
# make test wants it. Writes benchmarks/results/results.md, results.json, chart.png and concurrency.png; logs of the runs
# in .build/bench-logs. BENCH_ARGS="--only audit_msp,floor_msp" runs some scenarios (benchmarks/cases.py).
bench: $(BENCH_VENV)/.stamp ## the benchmark against the emulator (about 3 hours; BENCH_ARGS=--quick: a few minutes)
	"$(BENCH_VENV)/bin/python" benchmarks/run.py $(BENCH_ARGS)

$(BENCH_VENV)/.stamp: requirements/bench.txt requirements/runtime.txt requirements/constraints.txt $(EMULATOR_PACKAGE)
	@if [ ! -x "$(BENCH_VENV)/bin/python" ]; then echo "creating $(BENCH_VENV)"; $(PYTHON) -m venv "$(BENCH_VENV)"; fi
	"$(BENCH_VENV)/bin/python" -m pip install --quiet -r requirements/bench.txt
	@touch "$@"

# The scenario table is written to docs/reliability.md, which is generated, never edited by hand.
reliability-doc: venv collection ## every integration test; the table of those marked as scenarios into docs/reliability.md
	NETSAPIENS_RELIABILITY_DOC="$(CURDIR)/docs/reliability.md" "$(VENV_PY)" -m pytest -p no:cacheprovider \
		tests/integration

# ---- docs, release checks, execution environment ----

docs-venv: $(DOCS_STAMP) ## .venv-docs from requirements/docs.txt (antsibull-docs, Sphinx, ansible-builder)

$(DOCS_STAMP): requirements/docs.txt requirements/docs-constraints.txt
	@if [ ! -x "$(DOCS_BIN)/python" ]; then echo "creating $(DOCS_VENV)"; $(PYTHON) -m venv "$(DOCS_VENV)"; fi
	"$(DOCS_BIN)/python" -m pip install --quiet -r requirements/docs.txt
	@touch "$@"

# antsibull-docs runs ansible-doc, so .venv-docs/bin comes first on PATH.
docs-lint: docs-venv collection ## antsibull-docs lint: plugin, module and role docs, docs/docsite and its references
	PATH="$(DOCS_BIN):$$PATH" antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs .

# Plugin pages and the guides of docs/docsite as RST (antsibull-docs), then HTML (Sphinx, docs/sphinx/conf.py). Offline.
docs: docs-venv collection ## the docsite in .build/docs/html (warnings are errors)
	rm -rf "$(DOCS_BUILD)"
	mkdir -p "$(DOCS_BUILD)" && mkdir -m 700 "$(DOCS_BUILD)/rst"
	cp docs/sphinx/conf.py "$(DOCS_BUILD)/conf.py"
	PATH="$(DOCS_BIN):$$PATH" antsibull-docs collection --use-current --squash-hierarchy --fail-on-error \
		--dest-dir "$(DOCS_BUILD)/rst" netsapiens.pbx
	PATH="$(DOCS_BIN):$$PATH" sphinx-build -q -W --keep-going -b html -c "$(DOCS_BUILD)" -d "$(DOCS_BUILD)/doctrees" \
		"$(DOCS_BUILD)/rst" "$(DOCS_HTML)"
	@echo "docs: open $(DOCS_HTML)/index.html"

# Index, the subscriber_info page and every guide; screenshots in .build/docs/screenshots.
docs-check: docs browser venv ## make docs, then open the site in headless Chromium and check that no internal link is dead
	NETSAPIENS_DOCS_HTML="$(DOCS_HTML)" "$(VENV_PY)" -m pytest -p no:cacheprovider tests/release/test_docs_site.py

# antsibull-changelog release runs on a mirror in .build/release-changelog (the repository keeps its fragments); the test
# checks that its CHANGELOG.rst has the release's section with every fragment and announces every module, plugin and role.
release-changelog: venv ## the next release's changelog (galaxy.yml's version, or RELEASE_VERSION=...), generated and checked
	"$(VENV_PY)" hack/sync_tree.py "$(RELEASE_DIR)"
	cd "$(RELEASE_DIR)" && antsibull-changelog release --version $(RELEASE_VERSION)
	NETSAPIENS_RELEASE_DIR="$(RELEASE_DIR)" RELEASE_VERSION=$(RELEASE_VERSION) \
		"$(VENV_PY)" -m pytest -p no:cacheprovider tests/release/test_changelog_release.py
	@echo "release-changelog: $(RELEASE_DIR)/CHANGELOG.rst"

# No container is built: tests/release/test_execution_environment.py runs ansible-builder create and introspect.
ee-check: docs-venv build ## ansible-builder on docs/execution-environment.yml and on the built collection
	NETSAPIENS_DIST="$(DIST)" ANSIBLE_BUILDER="$(DOCS_BIN)/ansible-builder" \
		"$(VENV_PY)" -m pytest -p no:cacheprovider tests/release/test_execution_environment.py

browser: ## headless Chromium for the docsite and HTML report tests (Debian's chromium, installed unless on PATH)
	@if command -v chromium >/dev/null 2>&1; then echo "browser: $$(command -v chromium)"; else \
		echo "browser: installing chromium with apt-get"; sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium </dev/null; \
		command -v chromium >/dev/null; fi

# ---- the Python 3.13 leg of the ansible-core matrix (make test is the other: ansible-core 2.19 on Python 3.11) ----

venv-313: $(STAMP313) ## .venv-313 from requirements/py313.txt (the newest ansible-core, Python 3.13; PY313=...)

$(STAMP313): requirements/py313.txt requirements/py313-constraints.txt requirements/runtime.txt $(EMULATOR_PACKAGE)
	@if [ ! -x "$(VENV313)/bin/python" ]; then echo "creating $(VENV313) with $(PY313)"; "$(PY313)" -m venv "$(VENV313)"; fi
	@"$(VENV313)/bin/python" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else "$(VENV313) is not Python 3.13: rm -rf it and set PY313=/path/to/python3.13")'
	"$(VENV313)/bin/python" -m pip install --quiet -r requirements/py313.txt
	@touch "$@"

test-matrix: sanity-313 test-313 ## the Python 3.13 leg: sanity, unit and integration tests with the newest ansible-core
	@echo "test-matrix: passed with $$("$(VENV313)/bin/ansible" --version | head -n 1) on $$("$(VENV313)/bin/python" --version)"

sanity-313: venv-313 ## ansible-test sanity --python 3.13 with .venv-313
	"$(VENV313)/bin/python" hack/ansible_test_offline_pip.py --python 3.13
	"$(VENV313)/bin/python" hack/sync_tree.py "$(SANITY313_DIR)"
	cd "$(SANITY313_DIR)" && env -u ANSIBLE_COLLECTIONS_PATH PATH="$(VENV313)/bin:$$PATH" \
		ansible-test sanity --venv --python 3.13 --color no $(SANITY_ARGS)

test-313: venv-313 collection ## the unit and integration tests with .venv-313
	"$(VENV313)/bin/python" -m pytest -p no:cacheprovider tests/unit tests/integration

# ---- cleaning ----

clean: ## remove build and test output (.build, demo-output, caches); keeps the venvs
	rm -rf "$(BUILD)" tests/output .pytest_cache .ansible demo-output
	find . -path ./.venv -prune -o -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean ## clean, and remove every venv (.venv, .venv-docs, .venv-313)
	rm -rf "$(VENV)" "$(DOCS_VENV)" "$(VENV313)"

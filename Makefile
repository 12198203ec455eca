# netsapiens.pbx: build, lint and test. Every target works on a fresh clone (it makes what it needs).
#
#   make demo      run playbooks/demo.yml against the NetSapiens emulator
#   make test      everything CI runs: sanity, lint, build check, then all pytest suites
#
# Other targets: venv collection sanity lint units integration build build-check changelog clean distclean

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
PYTHON_VERSION := 3.11
VENV := $(CURDIR)/.venv
VENV_PY := $(VENV)/bin/python
STAMP := $(VENV)/.stamp
REQUIREMENTS := requirements/dev.txt requirements/runtime.txt requirements/constraints.txt

BUILD := $(CURDIR)/.build
COLLECTIONS := $(BUILD)/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/netsapiens/pbx
SANITY_DIR := $(BUILD)/sanity/ansible_collections/netsapiens/pbx
DIST := $(BUILD)/dist
CHECK_DIR := $(BUILD)/build-check

PYTEST_SUITES := tests/unit tests/integration tests/emulator
DEMO_ARGS ?=
SANITY_ARGS ?=
LINT_ARGS ?=

# Every ansible command sees the collection through .build/collections and keeps its temp files in .build.
export PATH := $(VENV)/bin:$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_LOCAL_TEMP := $(BUILD)/tmp/local
export ANSIBLE_REMOTE_TMP := $(BUILD)/tmp/remote
export PIP_PROGRESS_BAR := off

.PHONY: help venv collection sanity lint units integration build build-check changelog test demo clean distclean

help:
	@echo 'make demo    against the emulator: show one subscriber, audit every domain, reports in demo-output/'
	@echo 'make test    sanity, lint, docs and changelog lint, release checks, every pytest suite (CI also runs test-matrix)'
	@echo 'make bench   the benchmark (about 12 minutes); results in benchmarks/results/'
	@echo 'other:       venv collection sanity lint units integration build build-check changelog docs docs-lint docs-check'
	@echo '             release-changelog ee-check browser test-matrix reliability-doc clean distclean'

## venv: .venv with requirements/dev.txt; reinstalled whenever a requirements file is newer than the stamp.
venv: $(STAMP)

$(STAMP): $(REQUIREMENTS)
	@$(PYTHON) -c 'import sys; v = "%d.%d" % sys.version_info[:2]; sys.exit(0 if v == "$(PYTHON_VERSION)" else "$(PYTHON) is Python " + v + ", need $(PYTHON_VERSION): make PYTHON=python$(PYTHON_VERSION) ...")'
	@if [ ! -x "$(VENV_PY)" ] || ! "$(VENV_PY)" -c 'import sys; sys.exit(sys.version_info[:2] != tuple(map(int, "$(PYTHON_VERSION)".split("."))))'; then \
		echo "creating $(VENV)"; rm -rf "$(VENV)"; $(PYTHON) -m venv "$(VENV)"; \
	fi
	"$(VENV_PY)" -m pip install --quiet -r requirements/dev.txt
	@touch "$@"

## collection: .build/collections/ansible_collections/netsapiens/pbx -> the repository root.
collection:
	@mkdir -p "$(dir $(COLLECTION_LINK))" "$(ANSIBLE_LOCAL_TEMP)" "$(ANSIBLE_REMOTE_TMP)"
	@if [ "$$(readlink "$(COLLECTION_LINK)" 2>/dev/null)" != "$(CURDIR)" ]; then \
		rm -rf "$(COLLECTION_LINK)"; ln -s "$(CURDIR)" "$(COLLECTION_LINK)"; \
	fi

## sanity: ansible-test sanity on a mirror of the source files in a real ansible_collections/netsapiens/pbx.
sanity: venv
	"$(VENV_PY)" hack/ansible_test_offline_pip.py --python $(PYTHON_VERSION)
	"$(VENV_PY)" hack/sync_tree.py "$(SANITY_DIR)"
	cd "$(SANITY_DIR)" && env -u ANSIBLE_COLLECTIONS_PATH ansible-test sanity --venv --python $(PYTHON_VERSION) --color no $(SANITY_ARGS)

lint: venv collection
	ansible-lint --profile production $(if $(CI),--nocolor) $(LINT_ARGS)

changelog: venv
	antsibull-changelog lint

units: venv collection
	"$(VENV_PY)" -m pytest tests/unit

integration: venv collection
	"$(VENV_PY)" -m pytest tests/integration tests/emulator

build: venv
	rm -rf "$(DIST)"
	ansible-galaxy collection build --force --output-path "$(DIST)"

## build-check: build the tarball, install it into an empty collections path and use it from there only: ansible-doc for
## every module, plugin and role, a playbook with the modules, the lookup and the filter, the inventory plugin and
## `ansible-playbook netsapiens.pbx.audit`, against the emulator; no development files in the tarball
## (tests/release/test_tarball.py).
build-check: venv
	"$(VENV_PY)" -m pytest -p no:cacheprovider tests/release/test_tarball.py

## test: everything CI runs. The last line printed is pytest's summary.
test: venv collection browser changelog docs-lint sanity lint ee-check build-check docs-check release-changelog
	"$(VENV_PY)" -m pytest $(PYTEST_SUITES)

## demo: against a fresh emulator, show one subscriber (module and lookup), then audit every domain against
## playbooks/policies/baseline.yml and write the reports to demo-output/ (reported, not failed: fail_on never).
DEMO_REPORTS := $(CURDIR)/demo-output

demo: venv collection
	"$(VENV_PY)" hack/with_emulator.py $(DEMO_ARGS) -- bash -c '"$$0" playbooks/demo.yml && "$$0" playbooks/audit.yml \
		-e subscriber_audit_report_dir="$$1" -e subscriber_audit_fail_on=never' "$(VENV)/bin/ansible-playbook" "$(DEMO_REPORTS)"
	@echo "demo: reports in $(DEMO_REPORTS): audit-report.html (open in a browser), audit-report.json, audit-junit.xml, audit-subscribers.csv"

clean:
	rm -rf "$(BUILD)" tests/output .pytest_cache .ansible demo-output
	find . -path ./.venv -prune -o -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf "$(VENV)"

## bench: issue 8's benchmark against the emulator with 20 ms latency (several minutes; BENCH_ARGS=--quick for a smoke run).
## Its own venv (.build/venv-bench, requirements/bench.txt: the same ansible-core plus matplotlib), so .venv stays as make test wants it.
## Writes benchmarks/results/results.md, results.json and chart.png; logs of the runs in .build/bench-logs.
BENCH_VENV := $(BUILD)/venv-bench
BENCH_ARGS ?=

.PHONY: bench
bench: $(BENCH_VENV)/.stamp
	"$(BENCH_VENV)/bin/python" benchmarks/run.py $(BENCH_ARGS)

$(BENCH_VENV)/.stamp: requirements/bench.txt requirements/runtime.txt requirements/constraints.txt
	@if [ ! -x "$(BENCH_VENV)/bin/python" ]; then echo "creating $(BENCH_VENV)"; $(PYTHON) -m venv "$(BENCH_VENV)"; fi
	"$(BENCH_VENV)/bin/python" -m pip install --quiet -r requirements/bench.txt
	@touch "$@"

## ---- Docs, release checks, execution environment and the ansible-core matrix (issue 7) ----
##
##   make docs               the docsite (antsibull-docs + Sphinx) in .build/docs/html; open index.html
##   make docs-lint          antsibull-docs lint-collection-docs --plugin-docs (plugin docs, roles, docs/docsite)
##   make docs-check         make docs, then tests/release/test_docs_site.py opens it in headless Chromium
##   make release-changelog  antsibull-changelog release --version $(RELEASE_VERSION) on a copy; checks the result
##   make ee-check           ansible-builder create on docs/execution-environment.yml; introspects the built collection
##   make browser            installs chromium (apt-get) unless it is on PATH
##   make test-matrix        units, integration and sanity with the newest ansible-core on Python 3.13 (.venv-313);
##                           make test is the other leg: ansible-core 2.19 on Python 3.11 (.venv)
##
## The docs tools live in .venv-docs (requirements/docs.txt), apart from .venv, which stays lean.
DOCS_VENV := $(CURDIR)/.venv-docs
DOCS_STAMP := $(DOCS_VENV)/.stamp
DOCS_BIN := $(DOCS_VENV)/bin
DOCS_BUILD := $(BUILD)/docs
DOCS_HTML := $(DOCS_BUILD)/html
RELEASE_VERSION ?= 1.0.0
RELEASE_DIR := $(BUILD)/release-changelog/ansible_collections/netsapiens/pbx
EE_DIR := $(BUILD)/ee
VENV313 := $(CURDIR)/.venv-313
STAMP313 := $(VENV313)/.stamp
SANITY313_DIR := $(BUILD)/sanity-313/ansible_collections/netsapiens/pbx
# Python 3.13 for the second leg: pyenv's 3.13.0 when there is one (its python3.13 shim does not work), else python3.13.
PYENV_313 = $(shell pyenv prefix 3.13.0 2>/dev/null)
PY313 ?= $(if $(PYENV_313),$(PYENV_313)/bin/python,python3.13)

.PHONY: docs-venv docs docs-lint docs-check release-changelog ee-check browser venv-313 test-matrix test-313 sanity-313 distclean-venvs

docs-venv: $(DOCS_STAMP)

$(DOCS_STAMP): requirements/docs.txt requirements/docs-constraints.txt
	@if [ ! -x "$(DOCS_BIN)/python" ]; then echo "creating $(DOCS_VENV)"; $(PYTHON) -m venv "$(DOCS_VENV)"; fi
	"$(DOCS_BIN)/python" -m pip install --quiet -r requirements/docs.txt
	@touch "$@"

## docs-lint: the plugin, module and role docs (schema and markup) and docs/docsite (extra-docs.yml, links.yml, the guides
## and their references). antsibull-docs runs ansible-doc, so .venv-docs/bin comes first on PATH.
docs-lint: docs-venv collection
	PATH="$(DOCS_BIN):$$PATH" antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs .

## docs: plugin pages and the guides of docs/docsite as RST (antsibull-docs), then HTML (Sphinx, docs/sphinx/conf.py), warnings
## as errors. Works offline.
docs: docs-venv collection
	rm -rf "$(DOCS_BUILD)"
	mkdir -p "$(DOCS_BUILD)" && mkdir -m 700 "$(DOCS_BUILD)/rst"
	cp docs/sphinx/conf.py "$(DOCS_BUILD)/conf.py"
	PATH="$(DOCS_BIN):$$PATH" antsibull-docs collection --use-current --squash-hierarchy --fail-on-error \
		--dest-dir "$(DOCS_BUILD)/rst" netsapiens.pbx
	PATH="$(DOCS_BIN):$$PATH" sphinx-build -q -W --keep-going -b html -c "$(DOCS_BUILD)" -d "$(DOCS_BUILD)/doctrees" \
		"$(DOCS_BUILD)/rst" "$(DOCS_HTML)"
	@echo "docs: open $(DOCS_HTML)/index.html"

## docs-check: open the built site in headless Chromium (index, the subscriber_info page, every guide; screenshots in
## .build/docs/screenshots) and check that no internal link is dead.
docs-check: docs browser venv
	NETSAPIENS_DOCS_HTML="$(DOCS_HTML)" "$(VENV_PY)" -m pytest -p no:cacheprovider tests/release/test_docs_site.py

## release-changelog: the next release's changelog, generated, not typed: antsibull-changelog release on a mirror of the
## repository in .build/release-changelog (the repository keeps its fragments), then checks that the CHANGELOG.rst there has
## the $(RELEASE_VERSION) section with every fragment and announces every module, plugin and role.
release-changelog: venv
	"$(VENV_PY)" hack/sync_tree.py "$(RELEASE_DIR)"
	cd "$(RELEASE_DIR)" && antsibull-changelog release --version $(RELEASE_VERSION)
	NETSAPIENS_RELEASE_DIR="$(RELEASE_DIR)" RELEASE_VERSION=$(RELEASE_VERSION) \
		"$(VENV_PY)" -m pytest -p no:cacheprovider tests/release/test_changelog_release.py
	@echo "release-changelog: $(RELEASE_DIR)/CHANGELOG.rst"

## ee-check: what ansible-builder makes of the example execution environment (no container is built), and that it finds the
## collection's Python requirements in the built collection (meta/execution-environment.yml -> requirements.txt).
ee-check: docs-venv build
	rm -rf "$(EE_DIR)"
	mkdir -p "$(EE_DIR)"
	"$(DOCS_BIN)/ansible-builder" create -f docs/execution-environment.yml --context "$(EE_DIR)/context" \
		--output-filename Containerfile
	@cd "$(EE_DIR)/context" && \
	for check in 'test -f Containerfile' \
		"grep -q 'ansible-galaxy collection install .*-r requirements.yml' Containerfile" \
		"grep -q 'introspect' Containerfile" \
		"grep -q 'ansible-core' Containerfile" \
		"grep -qx -- '- name: netsapiens.pbx' _build/requirements.yml"; do \
		if ! eval "$$check"; then echo "ee-check: the build context fails: $$check"; exit 1; fi; \
	done
	ANSIBLE_COLLECTIONS_PATH="$(EE_DIR)/collections" ansible-galaxy collection install -p "$(EE_DIR)/collections" \
		"$$(ls "$(DIST)"/netsapiens-pbx-*.tar.gz)"
	"$(DOCS_BIN)/ansible-builder" introspect --write-pip "$(EE_DIR)/requirements.txt" "$(EE_DIR)/collections"
	@grep -qE '^requests.*# from collection netsapiens\.pbx$$' "$(EE_DIR)/requirements.txt" || \
		{ echo "ee-check: ansible-builder does not find requests in the built collection"; exit 1; }
	@echo "ee-check: $(EE_DIR)/context/Containerfile installs netsapiens.pbx and its Python requirements"

## browser: headless Chromium for the docsite and HTML report tests (Debian's chromium package).
browser:
	@if command -v chromium >/dev/null 2>&1; then echo "browser: $$(command -v chromium)"; else \
		echo "browser: installing chromium with apt-get"; sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium </dev/null; \
		command -v chromium >/dev/null; fi

venv-313: $(STAMP313)

$(STAMP313): requirements/py313.txt requirements/py313-constraints.txt requirements/runtime.txt
	@if [ ! -x "$(VENV313)/bin/python" ]; then echo "creating $(VENV313) with $(PY313)"; "$(PY313)" -m venv "$(VENV313)"; fi
	@"$(VENV313)/bin/python" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else "$(VENV313) is not Python 3.13: rm -rf it and set PY313=/path/to/python3.13")'
	"$(VENV313)/bin/python" -m pip install --quiet -r requirements/py313.txt
	@touch "$@"

## test-matrix: the Python 3.13 leg (ansible-core from requirements/py313.txt): sanity, then the unit and integration tests.
test-matrix: sanity-313 test-313
	@echo "test-matrix: passed with $$("$(VENV313)/bin/ansible" --version | head -n 1) on $$("$(VENV313)/bin/python" --version)"

sanity-313: venv-313
	"$(VENV313)/bin/python" hack/ansible_test_offline_pip.py --python 3.13
	"$(VENV313)/bin/python" hack/sync_tree.py "$(SANITY313_DIR)"
	cd "$(SANITY313_DIR)" && env -u ANSIBLE_COLLECTIONS_PATH PATH="$(VENV313)/bin:$$PATH" \
		ansible-test sanity --venv --python 3.13 --color no $(SANITY_ARGS)

test-313: venv-313 collection
	"$(VENV313)/bin/python" -m pytest -p no:cacheprovider tests/unit tests/integration

distclean: distclean-venvs
distclean-venvs:
	rm -rf "$(DOCS_VENV)" "$(VENV313)"

## reliability-doc: every integration test; the scenario table of those marked as scenarios (tests/integration/scenarios.py)
## is written to docs/reliability.md, which is generated, never edited by hand.
.PHONY: reliability-doc
reliability-doc: venv collection
	NETSAPIENS_RELIABILITY_DOC="$(CURDIR)/docs/reliability.md" "$(VENV_PY)" -m pytest -p no:cacheprovider \
		tests/integration

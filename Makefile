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
	@echo 'make demo    run playbooks/demo.yml against the NetSapiens emulator'
	@echo 'make test    sanity + lint + build-check + every pytest suite (what CI runs)'
	@echo 'other:       venv collection sanity lint units integration build build-check changelog clean distclean'

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

## build-check: install the built tarball into an empty collections path and read the plugin docs from there.
DOC_CHECK := import json, sys; text = sys.stdin.read(); docs = json.loads(text) if text.strip() else {}; missing = [n for n in sys.argv[1:] if not (docs.get(n) or {}).get("doc")]; \
	sys.exit("build-check: no documentation for " + ", ".join(missing) if missing else 0)

build-check: build
	rm -rf "$(CHECK_DIR)"
	mkdir -p "$(CHECK_DIR)"
	@tarball=$$(ls "$(DIST)"/netsapiens-pbx-*.tar.gz); \
	junk=$$(tar -tzf "$$tarball" | grep -E '(^|/)(\.venv|\.build|\.ansible|\.ci|hack|tests/output|__pycache__|\.pytest_cache)(/|$$)' || true); \
	if [ -n "$$junk" ]; then echo "$$tarball holds files that build_ignore should drop:"; echo "$$junk"; exit 1; fi; \
	echo "ansible-galaxy collection install -p $(CHECK_DIR) $$tarball"; \
	ANSIBLE_COLLECTIONS_PATH="$(CHECK_DIR)" ansible-galaxy collection install -p "$(CHECK_DIR)" "$$tarball"
	cd "$(CHECK_DIR)" && export ANSIBLE_COLLECTIONS_PATH="$(CHECK_DIR)" && \
	ansible-doc -t module --json netsapiens.pbx.audit netsapiens.pbx.domain_info netsapiens.pbx.login netsapiens.pbx.subscriber_info \
		| "$(VENV_PY)" -c '$(DOC_CHECK)' netsapiens.pbx.audit netsapiens.pbx.domain_info netsapiens.pbx.login netsapiens.pbx.subscriber_info && \
	ansible-doc -t filter --json netsapiens.pbx.to_csv | "$(VENV_PY)" -c '$(DOC_CHECK)' netsapiens.pbx.to_csv && \
	ansible-doc -t inventory --json netsapiens.pbx.subscribers | "$(VENV_PY)" -c '$(DOC_CHECK)' netsapiens.pbx.subscribers && \
	ansible-doc -t lookup --json netsapiens.pbx.subscriber | "$(VENV_PY)" -c '$(DOC_CHECK)' netsapiens.pbx.subscriber
	@echo "build-check: the built collection installs and its plugin docs load"

## test: everything CI runs. The last line printed is pytest's summary.
test: venv collection sanity lint build-check
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

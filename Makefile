# Quick start: `make demo` (sets everything up, runs the demo) and `make test` (every test).
# Both create .venv/ on first use and reuse it afterwards; the stamp file is rebuilt only when a
# requirements file changes.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.hkpost-installed
export PATH := $(CURDIR)/$(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

.PHONY: demo test bench gates changelog molecule venv system-deps clean mutation

venv: $(STAMP)

$(STAMP): requirements.txt tests/requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r tests/requirements.txt
	@touch $(STAMP)

# Real peers the tests start on 127.0.0.1 (BIND 9, nginx). Installed from Debian when missing.
system-deps:
	@bash tests/install-system-deps.sh

demo: $(STAMP)
	$(BIN)/ansible-playbook playbooks/demo.yml
	$(BIN)/python hack/demo_chain.py

bench: $(STAMP)
	$(BIN)/python benchmarks/chain_plan.py
	$(BIN)/python benchmarks/served_chain.py
	$(BIN)/python benchmarks/winrm_cost.py
	$(BIN)/python benchmarks/renewal.py

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q -n 2

# ansible-test sanity (local, no containers, no ignore file) and ansible-lint (production profile).
gates: $(STAMP)
	$(BIN)/python -m pytest -q tests/sanity/test_gates.py

# Mutation testing of the decision modules against their fast tests: prints the kill rate per file
# (a figure, not a gate). See hack/mutation.py for the operators, the test map and equivalent mutants.
mutation: $(STAMP)
	$(BIN)/python hack/mutation.py --survivors

changelog: $(STAMP)
	hack/changelog.sh

# default: csr and dcv on localhost; winrm: the Windows roles over WinRM to the loopback fleet (tests/support/winrm).
molecule: $(STAMP) system-deps
	cd extensions && ../$(BIN)/molecule test -s default
	cd extensions && ../$(BIN)/molecule test -s winrm

clean:
	rm -rf $(VENV) demo-output reports build *.tar.gz

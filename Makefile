# kubelabs: the two commands a newcomer needs are `make lab` and `make test`.
#
#   make lab          create .venv, install the course (JupyterLab, kernel "Python (kubelabs)"), start JupyterLab
#   make lab-install  the same without starting the server
#   make test         create/update .venv with the test tools, install Debian's chromium, run every test
#   make bench        print the benchmark figures beside their targets
#   make clean        remove .venv and caches
#
# Everything lives in .venv (the kernel is registered with --sys-prefix), so nothing is installed
# into your user account. Only Python >= 3.11 with pip and venv is needed (Debian: python3-venv).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1
LAB_ARGS ?=
# Jupyter refuses to run as root unless told; containers often run as root
ROOT_ARGS := $(if $(filter 0,$(shell id -u)),--allow-root)
PYTEST_ARGS ?=
# The browser tests (tests/browser) drive this chromium with playwright by its path; `make test`
# installs Debian's package when it is missing. Another Chromium: make test CHROMIUM=/path/to/chrome
CHROMIUM ?= /usr/bin/chromium
export KUBELABS_CHROMIUM := $(CHROMIUM)

.PHONY: lab lab-install test bench venv clean help
.DEFAULT_GOAL := help

help:
	@echo "make lab          install everything into $(VENV) and start JupyterLab on notebooks/"
	@echo "make lab-install  install everything into $(VENV) (no server)"
	@echo "make test         install the test tools into $(VENV) and run all tests"
	@echo "make bench        run the benchmarks (figures beside targets)"
	@echo "make clean        remove $(VENV) and caches"

# -- the virtual environment ------------------------------------------------------------------
$(VENV)/.stamp-venv:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "kubelabs needs Python >= 3.11; this is " + sys.version.split()[0] + " (set PYTHON=python3.11)")'
	@if [ ! -x "$(PY)" ]; then echo "==> creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); fi
	@echo "==> upgrading pip"
	@$(PIP) install --quiet --upgrade pip
	@touch $@

venv: $(VENV)/.stamp-venv

# Each extra is installed once per change of pyproject.toml (stamp files in .venv).
$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-venv
	@echo "==> installing kubelabs (editable) with the test tools"
	@$(PIP) install --quiet -e '.[test]'
	@touch $@

$(VENV)/.stamp-notebook: pyproject.toml $(VENV)/.stamp-venv
	@echo "==> installing kubelabs (editable) with JupyterLab, ipykernel, ipywidgets, nbgrader"
	@$(PIP) install --quiet -e '.[notebook]'
	@echo "==> registering the Jupyter kernel 'kubelabs' (Python (kubelabs)) inside $(VENV)"
	@$(PY) -m ipykernel install --sys-prefix --name kubelabs --display-name "Python (kubelabs)"
	@touch $@

# Debian's chromium for tests/browser (system-wide: apt needs root; sudo is used only when it asks
# for no password). Playwright's own browser download (`playwright install`) is never used. When the
# install is impossible the reason goes to $(VENV)/chromium-install.log and the tests still run: the
# browser tests then fail with that reason under CI=true (.ci/run) and are skipped elsewhere.
$(VENV)/.stamp-chromium: $(VENV)/.stamp-venv
	@rm -f $(VENV)/chromium-install.log
	@if [ -x "$(CHROMIUM)" ]; then touch $@; \
	else \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	  else SUDO=none; fi; \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "no apt-get on this machine: install Chromium yourself and run 'make test CHROMIUM=/path/to/chromium'" > $(VENV)/chromium-install.log; \
	  elif [ "$$SUDO" = none ]; then \
	    echo "installing Debian's chromium needs root (or sudo without a password): run 'sudo apt-get install --no-install-recommends chromium' once, or 'make test CHROMIUM=/path/to/chromium'" > $(VENV)/chromium-install.log; \
	  else \
	    echo "==> installing Debian's chromium for the browser tests (apt-get; about 120 MB)"; \
	    start=$$(date +%s); \
	    if $$SUDO apt-get update -q > $(VENV)/chromium-apt.log 2>&1 && \
	       $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >> $(VENV)/chromium-apt.log 2>&1; then \
	      echo "==> chromium installed in $$(( $$(date +%s) - start )) s: $$($(CHROMIUM) --version 2>/dev/null)"; \
	    else \
	      { echo "apt-get could not install chromium; the end of its output:"; tail -n 15 $(VENV)/chromium-apt.log; } > $(VENV)/chromium-install.log; \
	    fi; \
	  fi; \
	  if [ -x "$(CHROMIUM)" ]; then touch $@; \
	  else echo "==> WARNING: no chromium at $(CHROMIUM), the browser tests cannot run:"; sed 's/^/    /' $(VENV)/chromium-install.log; fi; \
	fi

# -- the two commands ---------------------------------------------------------------------------
lab-install: $(VENV)/.stamp-notebook
	@mkdir -p notebooks
	@echo "==> ready: start JupyterLab with 'make lab' (kernel: Python (kubelabs))"

lab: lab-install
	@echo "==> starting JupyterLab on notebooks/ (Ctrl-C twice to stop)"
	$(VENV)/bin/jupyter lab notebooks/ $(ROOT_ARGS) $(LAB_ARGS)

test: $(VENV)/.stamp-test $(VENV)/.stamp-chromium
	@echo "==> running the tests"
	@start=$$(date +%s); status=0; \
	$(PY) -m pytest -ra $(PYTEST_ARGS) || status=$$?; \
	end=$$(date +%s); \
	if [ $$status -eq 0 ]; then echo "==> make test: all tests passed in $$((end - start)) s"; \
	else echo "==> make test: FAILED (pytest exit status $$status) after $$((end - start)) s"; fi; \
	exit $$status

bench: $(VENV)/.stamp-test
	@$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# kubelabs: the two commands a newcomer needs are `make lab` and `make test`.
#
#   make lab          create .venv, install the course (JupyterLab, kernel "Python (kubelabs)"), start JupyterLab
#   make lab-install  the same without starting the server
#   make test         create/update .venv with the test tools and run every test
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

# -- the two commands ---------------------------------------------------------------------------
lab-install: $(VENV)/.stamp-notebook
	@mkdir -p notebooks
	@echo "==> ready: start JupyterLab with 'make lab' (kernel: Python (kubelabs))"

lab: lab-install
	@echo "==> starting JupyterLab on notebooks/ (Ctrl-C twice to stop)"
	$(VENV)/bin/jupyter lab notebooks/ $(ROOT_ARGS) $(LAB_ARGS)

test: $(VENV)/.stamp-test
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

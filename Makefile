# make setup · make lab · make run · make test · make clean
# A convenience over the commands that work everywhere (Windows has no make):
#     python -m course_utils setup|lab|run|test [--backend tensorflow|jax|torch] [--gpu]
# Each backend gets its own environment (.venv, .venv-jax, .venv-torch), installed from its lock
# in requirements/lock/ the first time (and again when the lock or pyproject.toml changes).
#   make test                      make run BACKEND=jax PROFILE=cpu      make setup BACKEND=torch GPU=1

PYTHON  ?= python3
BACKEND ?= $(or $(KERAS_BACKEND),tensorflow)
GPU     ?= 0
PROFILE ?=
OUT     ?= build
TESTS   ?=
NB      ?=
COURSE  := $(PYTHON) -m course_utils
ENV     := --backend $(BACKEND) $(if $(filter 1,$(GPU)),--gpu)
VENV_PY := $(if $(filter tensorflow,$(BACKEND)),.venv,.venv-$(BACKEND))/bin/python

.PHONY: setup lab run test lint doctor prefetch lock clean

setup:                         ## the backend's environment from its lock
	$(COURSE) setup $(ENV)

lab:                           ## open JupyterLab on the notebooks
	$(COURSE) lab $(ENV)

run:                           ## execute every notebook (or NB="03 04") headless, build the site in build/site
	$(COURSE) run $(ENV) --out $(OUT) $(if $(PROFILE),--profile $(PROFILE)) $(NB)

test:                          ## unit tests + every notebook under nbval in the smoke profile (TESTS=paths for fewer)
	$(COURSE) test $(ENV) -- $(TESTS)

lint: setup
	$(VENV_PY) -m ruff check course_utils notebooks tests tools

doctor: setup
	$(VENV_PY) -m course_utils doctor

prefetch:                      ## download datasets and weights into the Keras cache (TO=dir for a workshop)
	$(COURSE) prefetch $(if $(TO),--to $(TO))

lock:                          ## recompile requirements/lock/ from pyproject.toml (needs uv)
	$(PYTHON) tools/lock.py

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache

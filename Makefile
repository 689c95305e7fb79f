# make lab · make run · make test · make clean
# Each target creates .venv and installs requirements.txt on first use (and again when it changes).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PROFILE ?=
OUT    ?= build

.PHONY: setup lab run test lint doctor prefetch clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

lab: setup                     ## open JupyterLab on the notebooks
	$(VENV)/bin/jupyter lab notebooks/

run: setup                     ## execute every notebook headless (PROFILE=auto|smoke|cpu|gpu), write build/report.html
	$(PY) -m course_utils run --out $(OUT) $(if $(PROFILE),--profile $(PROFILE))

test: setup                    ## unit tests + every notebook under nbval in the smoke profile
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check course_utils notebooks tests tools

doctor: setup
	$(PY) -m course_utils doctor

prefetch: setup                ## download datasets and weights into the Keras cache (TO=dir for a workshop)
	$(PY) -m course_utils prefetch $(if $(TO),--to $(TO))

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache

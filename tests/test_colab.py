"""The Colab path: every notebook opens on Colab, and its first cell sets the project up there.

Colab cannot be reached from the test machines, so the first cell is run the way
Colab would run it, with a stand-in ``google.colab`` module and the repository
URL pointed at a local clone of this repository.
"""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import colab_cell  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_notebook_has_the_colab_badge_and_first_cell(path):
    cells = json.loads(path.read_text())["cells"]
    first_code = next(cell for cell in cells if cell["cell_type"] == "code")
    assert "".join(first_code["source"]) == colab_cell.CELL, (
        f"{path.name}: run `python scripts/colab_cell.py` to add or update the Colab cell"
    )
    assert colab_cell.colab_badge(path.name) in "".join(cells[0]["source"])


def test_outside_colab_the_cell_fetches_nothing_and_prints_nothing_in_the_locked_environment(capsys):
    namespace = {}
    exec(colab_cell.CELL, namespace)  # noqa: S102 - the notebooks' own first cell
    assert "PROJECT" not in namespace
    assert capsys.readouterr().out == "", "the locked versions are inside the supported window"


def test_the_cell_checks_the_versions_and_says_what_to_do(capsys, monkeypatch):
    from helpers.core import versions

    monkeypatch.setattr(
        versions,
        "installed_versions",
        lambda: {"python": "3.11.7", "tensorflow": "2.17.1", "keras": "3.15.1", "ipywidgets": "8.1.9"},
    )
    exec(colab_cell.CELL, {})  # noqa: S102
    assert capsys.readouterr().out.splitlines() == [
        f"tensorflow 2.17.1 is older than the tested range {versions.SUPPORTED['tensorflow']}: start JupyterLab "
        "with make lab in the project folder: its .venv holds the tested versions."
    ]


def test_on_colab_the_cell_clones_the_project_and_its_imports_work(tmp_path):
    fake = tmp_path / "fake_colab"
    (fake / "google" / "colab").mkdir(parents=True)
    # no google/__init__.py: like protobuf's, the stand-in is part of the "google" namespace package
    (fake / "google" / "colab" / "__init__.py").write_text(
        textwrap.dedent("""
        import pathlib, types
        def enable_custom_widget_manager():
            pathlib.Path(__file__).with_name("widgets-enabled").write_text("yes")
        output = types.SimpleNamespace(enable_custom_widget_manager=enable_custom_widget_manager)
    """)
    )
    project = tmp_path / "content" / "keras-nn-foundations"
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(fake)!r})
        import google.colab  # what Colab has imported before any cell runs
        exec({colab_cell.CELL!r})
        import os
        import helpers
        from helpers.core import data
        from helpers.ui import mnist_panels
        (x_train, y_train), (x_test, y_test) = data.load_mnist()
        print(helpers.__file__)
        print(os.getcwd())
        print(x_train.shape, x_test.shape)
    """)
    environment = {
        "NNF_PROJECT_DIR": str(project),
        "NNF_REPOSITORY": f"file://{ROOT}",
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, cwd=tmp_path, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    module_file, folder, shapes = result.stdout.strip().splitlines()[-3:]
    assert Path(module_file).is_relative_to(project), "helpers must come from the clone"
    assert Path(folder) == project / "notebooks"
    assert shapes == "(60000, 28, 28) (10000, 28, 28)"
    assert (fake / "google" / "colab" / "widgets-enabled").read_text() == "yes"

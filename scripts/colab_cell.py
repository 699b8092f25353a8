"""The first code cell of every notebook: on Colab it fetches this project; everywhere it checks versions.

Colab runs a notebook alone, without the project's folder: the cell clones the
repository (the helpers and the vendored MNIST), puts it on ``sys.path``, moves
to its ``notebooks/`` folder and turns on Colab's manager for custom widgets,
which the panels need. Colab's own TensorFlow, Keras, NumPy, Matplotlib and
ipywidgets are used as they are. The two environment variables exist for the
test that simulates Colab with a local clone.

Then, on Colab and elsewhere, it prints one line for each of Python, TensorFlow,
Keras and ipywidgets whose installed version is outside the tested window
(``helpers.core.versions``), saying what to do; nothing when all are inside.
It imports ``helpers`` the way the notebooks' later cells do: the package is
installed in the environment (``make lab``, Binder), or on Colab the clone is on
``sys.path``.

Run ``python scripts/colab_cell.py`` to put the cell (and the "Open in Colab"
badge) into every notebook, or to update them after editing :data:`CELL`.
"""

import json
import re
import sys
from pathlib import Path

REPOSITORY = "https://github.com/keras-nn-foundations/keras-nn-foundations"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

CELL = f'''# On Colab only: fetch this project (its helpers and MNIST) and turn on the widgets.
import os
import subprocess
import sys

if "google.colab" in sys.modules:
    PROJECT = os.environ.get("NNF_PROJECT_DIR", "/content/keras-nn-foundations")
    if not os.path.isdir(PROJECT):
        REPOSITORY = os.environ.get("NNF_REPOSITORY", "{REPOSITORY}")
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", REPOSITORY, PROJECT], check=True)
    sys.path.insert(0, PROJECT)
    os.chdir(os.path.join(PROJECT, "notebooks"))
    from google.colab import output
    output.enable_custom_widget_manager()
# Everywhere: one line for each package whose version is outside the tested range, and what to do.
from helpers.core import versions
versions.warn_if_unsupported()'''


def colab_badge(name):
    """The "Open in Colab" badge of notebook ``name``."""
    return (
        f"[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"(https://colab.research.google.com/github/{REPOSITORY.split('github.com/')[1]}"
        f"/blob/main/notebooks/{name})"
    )


def is_colab_cell(cell):
    return cell["cell_type"] == "code" and "".join(cell["source"]).startswith(CELL.splitlines()[0][:30])


def add_to(path):
    """Put (or update) the Colab cell before the first code cell, and the badge after Binder's."""
    path = Path(path)
    notebook = json.loads(path.read_text())
    cells = notebook["cells"]
    existing = [index for index, cell in enumerate(cells) if is_colab_cell(cell)]
    source = CELL.splitlines(keepends=True)
    if existing:
        cells[existing[0]]["source"] = source
    else:
        first_code = next(index for index, cell in enumerate(cells) if cell["cell_type"] == "code")
        cells.insert(
            first_code,
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"{path.stem.replace('_', '-')[:40]}-colab",
                "metadata": {},
                "outputs": [],
                "source": source,
            },
        )
    title = cells[0]
    text = "".join(title["source"])
    if "colab-badge.svg" not in text:
        badge = colab_badge(path.name).replace("\\", "\\\\")
        text = re.sub(r"(\[!\[Open in Binder\]\([^)]*\)\]\([^)]*\))", r"\1 " + badge, text, count=1)
        title["source"] = text.splitlines(keepends=True)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    for notebook_path in sys.argv[1:] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        add_to(notebook_path)
        print("updated", notebook_path)

"""Record the outputs of a notebook's `# NBVAL_CHECK_OUTPUT` cells for the nbval test.

Runs the notebook with its CI parameters (tests/notebook_parameters/<stem>.yaml) and
writes tests/expected_outputs/<stem>.json. Review the diff before committing.

    python tests/record_outputs.py notebooks/04_mlp.ipynb
"""

import json
import sys
import tempfile
from pathlib import Path

import nbformat
import papermill

sys.path.insert(0, str(Path(__file__).parent))
from notebook_tools import EXPECTED_DIR, check_cells, prepare  # noqa: E402


def record(path):
    path = Path(path).resolve()
    with tempfile.TemporaryDirectory() as folder:
        prepared = prepare(path, Path(folder) / path.name, with_expected=False)
        executed = Path(folder) / f"executed-{path.name}"
        papermill.execute_notebook(
            str(prepared), str(executed), cwd=str(path.parent), kernel_name="python3", progress_bar=False
        )
        notebook = nbformat.read(executed, as_version=4)
    recorded = {
        cell.id: "".join(
            out.get("text", "") for out in cell.outputs if out.output_type == "stream" and out.name == "stdout"
        )
        for cell in check_cells(notebook)
    }
    EXPECTED_DIR.mkdir(exist_ok=True)
    target = EXPECTED_DIR / f"{path.stem}.json"
    target.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    print(f"wrote {target} ({len(recorded)} cells)")


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        record(argument)

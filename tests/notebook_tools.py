"""Shared by the notebook tests and tests/record_outputs.py: find notebooks, prepare a copy for
nbval with papermill (a notebook's parameters are read by helpers.core.parameters)."""

import json
from pathlib import Path

import nbformat
import papermill
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# One small file per notebook: tests/notebook_parameters/<stem>.yaml
CI_PARAMETERS = {
    path.stem: yaml.safe_load(path.read_text()) or {}
    for path in sorted((ROOT / "tests" / "notebook_parameters").glob("*.yaml"))
}
EXPECTED_DIR = ROOT / "tests" / "expected_outputs"
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def check_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code" and cell.source.lstrip().startswith(CHECK_MARK)]


def expected_outputs(stem):
    path = EXPECTED_DIR / f"{stem}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def prepare(path, destination, parameters=None, with_expected=True):
    """Inject parameters with papermill (not executed) and the recorded outputs of check cells."""
    path = Path(path)
    parameters = CI_PARAMETERS.get(path.stem, {}) if parameters is None else parameters
    papermill.execute_notebook(
        str(path), str(destination), parameters=parameters, prepare_only=True, kernel_name="python3", progress_bar=False
    )
    if with_expected:
        notebook = nbformat.read(destination, as_version=4)
        expected = expected_outputs(path.stem)
        for cell in check_cells(notebook):
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=expected[cell.id])]
            cell.execution_count = 1  # nbval only compares cells that look executed
        nbformat.write(notebook, destination)
    return Path(destination)

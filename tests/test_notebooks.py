"""Every notebook under notebooks/ is prepared by papermill and executed by nbval.

A new notebook is picked up automatically; small parameters for it go in
tests/notebook_parameters/<stem>.yaml, and the outputs of its `# NBVAL_CHECK_OUTPUT`
cells are recorded with `python tests/record_outputs.py notebooks/NAME.ipynb`.
"""

import subprocess
import sys

import nbformat
import papermill
import pytest

from helpers.core import checks, parameters
from helpers.exercises import catalog, notebooks
from notebook_tools import CI_PARAMETERS, NOTEBOOKS, check_cells, expected_outputs, prepare

ids = [path.stem for path in NOTEBOOKS]


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no NN_topic.ipynb notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_one_parameters_cell_of_literals(path):
    values = parameters.read_defaults(path)  # raises, naming the problem, unless one cell of literals
    assert values, f"{path.name}: the parameters cell defines nothing"
    unknown = set(CI_PARAMETERS.get(path.stem, {})) - set(values)
    assert not unknown, f"tests/notebook_parameters/{path.stem}.yaml sets {unknown}, not parameters of {path.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_every_parameter_has_a_rule_that_its_default_and_ci_value_obey(path):
    values, rules = parameters.read_defaults(path), parameters.read_rules(path)
    assert set(values) == set(rules), (
        f"{path.name}: parameters without a rule {set(values) - set(rules)}, "
        f"rules without a parameter {set(rules) - set(values)}"
    )
    checks.check_values({**values, **CI_PARAMETERS.get(path.stem, {})}, rules)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_checked_cells_have_recorded_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    missing = [cell.id for cell in check_cells(notebook) if cell.id not in expected_outputs(path.stem)]
    assert not missing, (
        f"{path.name}: no recorded output for checked cells {missing}; run "
        f"`python tests/record_outputs.py notebooks/{path.name}`"
    )


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_notebook_runs_under_nbval(path, tmp_path):
    prepared = prepare(path, tmp_path / path.name)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-cell-timeout=900",
            "-p",
            "no:cacheprovider",
            "-q",
            "--rootdir",
            str(tmp_path),
            str(prepared),
        ],
        cwd=path.parent,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"nbval failed on {path.name}:\n{result.stdout[-8000:]}\n{result.stderr[-2000:]}"


@pytest.mark.notebook
@pytest.mark.solutions
@pytest.mark.parametrize(
    "path",
    [path for path in NOTEBOOKS if path.stem in catalog.topics()],
    ids=[path.stem for path in NOTEBOOKS if path.stem in catalog.topics()],
)
def test_with_the_solutions_filled_in_every_check_is_correct(path, tmp_path):
    """The notebook with each answer cell holding its reference solution, run by papermill: all correct."""
    filled = tmp_path / path.name
    nbformat.write(notebooks.fill_in_solutions(nbformat.read(path, as_version=4)), filled)
    prepare(filled, filled, parameters=CI_PARAMETERS.get(path.stem, {}), with_expected=False)
    papermill.execute_notebook(
        str(filled), str(filled), cwd=str(path.parent), kernel_name="python3", progress_bar=False
    )
    verdicts = {}
    for cell in nbformat.read(filled, as_version=4).cells:
        called = notebooks.check_call(cell)
        if called:
            text = "".join(output.get("data", {}).get("text/plain", "") for output in cell.outputs)
            verdicts[called[0]] = text
    assert set(verdicts) == {exercise.id for exercise in catalog.exercises(path.stem[:2])}
    wrong = {exercise_id: text for exercise_id, text in verdicts.items() if ": Correct." not in text}
    assert not wrong, f"{path.name} with its solutions filled in: checks not correct:\n{wrong}"


@pytest.mark.notebook
@pytest.mark.parametrize(
    "stem, option, expected",
    [
        ("04_mlp", ["-p", "EPOCHS", "2.5"], "EPOCHS must be a whole number >= 1; got 2.5"),
        (
            "06_optimizers",
            ["-y", "SWEEP_BATCH_SIZES: [32, 0]"],
            "SWEEP_BATCH_SIZES must be a non-empty list, each item a whole number >= 1; got [32, 0]",
        ),
        ("03_gradient_descent", ["-r", "LEARNING_RATE", "0.1"], "LEARNING_RATE must be a number > 0; got '0.1'"),
        (
            "05_dropout",
            ["-p", "LONG_EPOCHS", "20"],
            "LONG_EPOCHS must be 0 (no long run) or more than EPOCHS (20), "
            "since the long run trains V3 on from epoch 20; got 20",
        ),
    ],
)
def test_a_wrong_parameter_stops_at_the_check_cell_naming_it(stem, option, expected, tmp_path):
    """Real papermill, real kernel: the run stops at the check cell, before any training."""
    notebook = next(path for path in NOTEBOOKS if path.stem == stem)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(notebook),
            str(tmp_path / "out.ipynb"),
            *option,
            "--cwd",
            str(notebook.parent),
            "--no-progress-bar",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode != 0
    assert "ParameterError" in result.stderr and expected in result.stderr, result.stderr[-3000:]
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    failed = [
        cell
        for cell in executed.cells
        if cell.cell_type == "code" and any(output.output_type == "error" for output in cell.get("outputs", []))
    ]
    assert len(failed) == 1 and "check_parameters" in failed[0].source, "it stops at the check cell"

"""Run plans: reading, checking in full against the notebook, expanding into runs; bad plans on the command line."""

import subprocess
import sys
from pathlib import Path

import pytest

from helpers.batch import plan_file, runplan

ROOT = Path(__file__).resolve().parents[1]
SQUARE = ROOT / "tests" / "data" / "batch" / "square.ipynb"  # no rules: names are checked, not values
MISBEHAVE = ROOT / "tests" / "data" / "batch" / "misbehave.ipynb"  # checks its parameters with rules


def write_plan(folder, text, name="plan.yaml"):
    path = Path(folder) / name
    path.write_text(text)
    return path


def test_plan_expands_variants_grid_and_seeds_in_order(tmp_path):
    path = write_plan(
        tmp_path,
        f"""
notebook: {SQUARE}
fixed: {{X: 1}}
variants:
  small: {{X: 2}}
  large: {{X: 9}}
seeds: [0, 1]
""",
    )
    runs = runplan.load_plan(path).runs()
    assert [run.run_id for run in runs] == ["small-seed0", "small-seed1", "large-seed0", "large-seed1"]
    assert runs[2].parameters == {"X": 9, "SEED": 0}
    assert runs[0].plan == "plan" and runs[0].variant == "small"
    assert runs[0].folder("results") == Path("results/plan/small-seed0")


def test_grid_run_ids_name_the_values_and_weights_follow_a_parameter(tmp_path):
    path = write_plan(
        tmp_path,
        f"""
notebook: {SQUARE}
grid: {{X: [1, 0.001, 5]}}
seeds: 2
weight: X
""",
    )
    runs = runplan.load_plan(path).runs()
    assert [run.run_id for run in runs] == [
        "x1-seed0",
        "x1-seed1",
        "x0.001-seed0",
        "x0.001-seed1",
        "x5-seed0",
        "x5-seed1",
    ]
    assert [run.weight for run in runs][::2] == [1.0, 1.0, 5.0]  # at least 1 per run
    assert all(run.weighted for run in runs)


def test_a_weight_the_plan_does_not_set_comes_from_the_notebook(tmp_path):
    runs = runplan.load_plan(write_plan(tmp_path, f"notebook: {SQUARE}\nweight: X\n")).runs()
    assert runs[0].weight == 2.0  # X = 2 in the notebook


def test_run_ids_are_safe_folder_names(tmp_path):
    path = write_plan(tmp_path, f"notebook: {SQUARE}\ngrid: {{X: ['../a b', 1.0e+20, '.x']}}\n")
    ids = [run.run_id for run in runplan.load_plan(path).runs()]
    assert ids == ["x.._a_b", "x1e_20", "x.x"]
    assert all(plan_file.is_safe_name(name) for name in ids)


def test_relative_notebook_paths_are_taken_from_the_plan_folder(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "n.ipynb").write_text(SQUARE.read_text())
    path = write_plan(tmp_path / "plans", "notebook: ../notebooks/n.ipynb\n")
    plan = runplan.load_plan(path)
    assert plan.notebook == (tmp_path / "notebooks" / "n.ipynb").resolve()
    assert [run.run_id for run in plan.runs()] == ["run"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("notebook: missing.ipynb\n", "notebook: 'missing.ipynb' not found"),
        ("notebook: [a.ipynb, b.ipynb]\n", "notebook: must be one notebook path (text), got a list"),
        ("fixed: {X: 1}\n", "notebook: missing"),
        (
            f"notebook: {SQUARE}\nfixed: {{Y: 1}}\n",
            "fixed: square.ipynb has no parameter 'Y'; its parameters are X, SEED, METRICS_PATH",
        ),
        (f"notebook: {SQUARE}\nfixed: [X, 1]\n", "fixed: must map parameter names to values, got a list"),
        (f"notebook: {SQUARE}\nfixed: {{1: 2}}\n", "fixed: 1 is not a parameter name"),
        (f"notebook: {SQUARE}\ngrid: {{X: 3}}\n", "grid: X must be a non-empty list of values, got 3"),
        (f"notebook: {SQUARE}\ngrid: {{X: []}}\n", "grid: X must be a non-empty list of values, got []"),
        (f"notebook: {SQUARE}\ngrid: {{Z: [1]}}\n", "grid: square.ipynb has no parameter 'Z'"),
        (f"notebook: {SQUARE}\nvariants: {{a: {{W: 1}}}}\n", "variants: a: square.ipynb has no parameter 'W'"),
        (f"notebook: {SQUARE}\nvariants: {{a: [1]}}\n", "variants: a: must map parameter names to values"),
        (f"notebook: {SQUARE}\nvariants: {{'..': {{X: 1}}}}\n", "variants: '..' is not a usable variant name"),
        (f"notebook: {SQUARE}\nvariants: {{a/b: {{X: 1}}}}\n", "variants: 'a/b' is not a usable variant name"),
        (f"notebook: {SQUARE}\nvariants: {{.x: {{X: 1}}}}\n", "variants: '.x' is not a usable variant name"),
        (f"notebook: {SQUARE}\nfixed: {{METRICS_PATH: x.json}}\n", "METRICS_PATH is set by the runner"),
        (f"notebook: {SQUARE}\nseeds: [0, one]\n", "seeds: must be a non-empty list of whole numbers >= 0"),
        (f"notebook: {SQUARE}\nseeds: [0, -1]\n", "seeds: must be a non-empty list of whole numbers >= 0"),
        (f"notebook: {SQUARE}\nseeds: []\n", "seeds: must be a non-empty list"),
        (f"notebook: {SQUARE}\nseeds: 0\n", "seeds: a count of seeds must be at least 1"),
        (f"notebook: {SQUARE}\nseeds: [1, 1]\n", "seeds: seeds are repeated"),
        (f"notebook: {SQUARE}\nseeds: [0]\nfixed: {{SEED: 3}}\n", "fixed: SEED: set while 'seeds' gives the seeds"),
        (f"notebook: {SQUARE}\nweight: 20\n", "weight: must be a parameter name or a list of them, got a number 20"),
        (f"notebook: {SQUARE}\nweight: [EPOCHS]\n", "weight: square.ipynb has no parameter 'EPOCHS'"),
        (f"notebook: {SQUARE}\nfixed: {{X: many}}\nweight: X\n", "weight: X is 'many', not a number >= 0"),
        (f"notebook: {SQUARE}\ngrids: {{X: [1]}}\n", "grids: unknown key; a plan may have notebook, description"),
        (f"notebook: {SQUARE}\ndescription: [a]\n", "description: must be text"),
        (f"notebook: {SQUARE}\nfixed: {{X: 1}}\ngrid: {{X: [1, 2]}}\n", "grid: X: also set in 'fixed'"),
        (
            f"notebook: {SQUARE}\nvariants: {{a: {{X: 1}}}}\ngrid: {{X: [1, 2]}}\n",
            "variants: a: X: also set in 'grid', which would override it",
        ),
        (
            f"notebook: {SQUARE}\nfixed: {{X: 1, X: 2}}\n",
            "not valid YAML at line 2, column 15: the key 'X' is written twice",
        ),
        (f"notebook: {SQUARE}\nfixed: {{X: 1\n", "not valid YAML at line 3"),
        ("- just\n- a list\n", "a run plan is a mapping"),
        (
            f"notebook: {MISBEHAVE}\nfixed: {{SLEEP_SECONDS: 1e-3}}\n",
            "fixed: SLEEP_SECONDS must be a number >= 0; got '1e-3' (str: not a number). "
            "It is a string that looks like a number: in YAML write 0.001 or 1.0e-3",
        ),
        (f"notebook: {MISBEHAVE}\nfixed: {{X: 2.0}}\n", "fixed: X must be a whole number >= 0; got 2.0"),
        (f"notebook: {MISBEHAVE}\ngrid: {{X: [1, -2]}}\n", "grid: X must be a whole number >= 0; got -2"),
        (
            f"notebook: {MISBEHAVE}\nvariants: {{a: {{EXIT: crash}}}}\n",
            "variants: a: EXIT must be one of 'none', 'kernel', 'worker'; got 'crash'",
        ),
        (f"notebook: {MISBEHAVE}\nseeds: 2\ngrid: {{X: [1]}}\nvariants: {{a: {{X: 1}}}}\n", "variants: a: X: also set"),
    ],
)
def test_bad_plans_are_refused_with_one_line_naming_file_and_key(tmp_path, text, message):
    path = write_plan(tmp_path, text)
    with pytest.raises(runplan.PlanError) as error:
        runplan.load_plan(path)
    assert message in str(error.value)
    for line in error.value.problems:
        assert "\n" not in line and line.startswith(f"{path}: "), line


def test_a_notebook_without_rules_gets_its_names_checked_only(tmp_path):
    plan = runplan.load_plan(write_plan(tmp_path, f"notebook: {SQUARE}\nfixed: {{X: many}}\n"))
    assert plan.runs()[0].parameters == {"X": "many"}


def test_every_problem_of_a_plan_is_listed_at_once(tmp_path):
    path = write_plan(tmp_path, f"notebook: {SQUARE}\nfixed: {{Y: 1}}\ngrid: {{X: 3}}\n")
    with pytest.raises(runplan.PlanError) as error:
        runplan.load_plan(path)
    assert len(error.value.problems) == 2
    assert "no parameter 'Y'" in str(error.value) and "X must be a non-empty list" in str(error.value)


def test_a_notebook_without_metrics_path_cannot_be_batched(tmp_path):
    notebook = tmp_path / "n.ipynb"
    notebook.write_text(SQUARE.read_text().replace('"METRICS_PATH = \\"\\""', '"Z = 1"'))
    with pytest.raises(runplan.PlanError, match="notebook: n.ipynb has no METRICS_PATH parameter"):
        runplan.load_plan(write_plan(tmp_path, f"notebook: {notebook}\n"))


def test_a_notebook_without_a_parameters_cell_is_a_plan_error(tmp_path):
    notebook = tmp_path / "n.ipynb"
    notebook.write_text(SQUARE.read_text().replace('"parameters"', '"other"'))
    with pytest.raises(runplan.PlanError, match="notebook: n.ipynb: .*tagged 'parameters'"):
        runplan.load_plan(write_plan(tmp_path, f"notebook: {notebook}\n"))


@pytest.mark.parametrize(
    "text, key",
    [
        (f"notebook: {MISBEHAVE}\nfixed: {{SLEEP_SECONDS: 1e-3}}\n", "fixed: SLEEP_SECONDS"),
        (f"notebook: {SQUARE}\nweight: 20\n", "weight:"),
        ("notebook: [a.ipynb, b.ipynb]\n", "notebook:"),
        (f"notebook: {SQUARE}\nvariants: {{a: {{X: 1}}}}\ngrid: {{X: [1, 2]}}\n", "variants: a: X"),
        (f"notebook: {SQUARE}\nvariants: {{'..': {{X: 1}}}}\n", "variants: '..'"),
        (f"notebook: {SQUARE}\nfixed: {{X: 1\n", "not valid YAML"),
    ],
)
def test_bad_plans_on_the_command_line_exit_2_with_one_line(tmp_path, text, key):
    path = write_plan(tmp_path, text, name="bad.yaml")
    for extra in (["--dry-run"], []):
        process = subprocess.run(
            [sys.executable, "-m", "helpers.batch", str(path), "--results", str(tmp_path / "results"), *extra],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        assert process.returncode == 2, process.stderr
        assert "Traceback" not in process.stderr
        lines = process.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {path}: ") and key in lines[0], lines
    assert not (tmp_path / "results").exists()


#: The plans that set our numbers beside the book's (make reproduce); other plans may serve other ends.
BOOK_PLANS = {"table", "dropout", "epochs", "learning_rate", "hidden_units", "batch_size"}


def test_the_project_plans_are_valid():
    plans = sorted((ROOT / "plans").glob("*.yaml"))
    assert {path.stem for path in plans} >= BOOK_PLANS
    for path in plans:
        plan = runplan.load_plan(path)
        if path.stem in BOOK_PLANS:
            assert len(plan.seeds) >= 3, f"{path.name}: the book's numbers are compared over >= 3 seeds"
        assert all(run.parameters["SIMPLE_EPOCHS"] == 0 for run in plan.runs())
        assert all(run.weighted for run in plan.runs()), f"{path.name}: weight: sets the timeouts"


def test_the_sample_plans_are_valid():
    for path in sorted((ROOT / "tests" / "data" / "sample_plans").glob("*.yaml")):
        assert runplan.load_plan(path).runs(), path.name
